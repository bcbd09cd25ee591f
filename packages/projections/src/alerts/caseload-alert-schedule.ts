import {
  academicYearOf,
  attendanceTrend,
  CASELOAD_ALERT_KINDS,
  dateInEngland,
  type Plan,
  type WeekOfAttendance,
} from '@small-steps/domain';
import { type EventStoreSchema, TransactionTx } from '@small-steps/event-store';
import { type Kysely, sql } from 'kysely';
import { marksInForceForYearSql } from '../attendance/attendance-mark-reads.ts';
import { planStreamId } from '../plans/plan-fold.ts';
import type { RunnerLog } from '../runner/projection-runner.ts';
import { RepeatingTask } from '../runner/repeating-task.ts';
import type { StreamStates } from '../stream-states.ts';
import type { AlertContextFor } from './caseload-alert-evaluation.ts';
import { PlanAlerts } from './caseload-alert-evaluation.ts';
import { CASELOAD_ALERTS } from './caseload-alerts-projection.ts';

export interface CaseloadAlertScheduleOptions {
  db: Kysely<object>;
  /** Plan states: a cache of its own, not the commands' (the schedule's reads may run ahead of them). */
  states: StreamStates<Plan>;
  contextFor: AlertContextFor;
  /** What time it is: the day alerts are judged on, and when they are raised or cleared. */
  clock: () => Date;
  log: RunnerLog;
  /** Between evaluations (default a day). */
  intervalMs?: number;
  /** Open plans judged per transaction (default 500). */
  batchSize?: number;
}

export interface AlertEvaluation {
  plans: number;
  raised: number;
  cleared: number;
  at: Date;
}

const DAY_MS = 86_400_000;

/**
 * Judges every open plan as of today, with the pupil's attendance: alerts that fall due as days pass
 * (a review date passing, a fortnight with no family contact) appear with no event at all, and the
 * attendance alerts are raised and cleared. It runs at start and then daily. Each batch locks the
 * caseload projection's checkpoint row, so it never interleaves with the runner's batches.
 */
export class CaseloadAlertSchedule {
  readonly #options: Required<CaseloadAlertScheduleOptions>;
  readonly #repeating: RepeatingTask;

  constructor(options: CaseloadAlertScheduleOptions) {
    this.#options = { intervalMs: DAY_MS, batchSize: 500, ...options };
    const { log, intervalMs } = this.#options;
    // A failed evaluation is logged and tried at the next.
    this.#repeating = new RepeatingTask(async () => {
      try {
        const result = await this.evaluate();
        log.info({ ...result, at: result.at.toISOString() }, 'caseload alerts evaluated');
      } catch (error) {
        log.error({ err: error }, 'caseload alert evaluation failed');
      }
    }, intervalMs);
  }

  /** Evaluates now, then every interval, until stopped. */
  start(): void {
    this.#repeating.start();
  }

  async stop(): Promise<void> {
    await this.#repeating.stop();
  }

  /** Judges every open plan at the clock's instant; returns how many plans it judged and alerts it changed. */
  async evaluate(): Promise<AlertEvaluation> {
    const { db, batchSize, clock } = this.#options;
    const at = clock();
    const result: AlertEvaluation = { plans: 0, raised: 0, cleared: 0, at };
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const done = await db.transaction().execute(async (trx) => {
        await sql`select 1 from projection_checkpoints where name = ${CASELOAD_ALERTS} for update`.execute(trx);
        const { rows } = await sql<{ plan_id: string; pupil_id: string; tenant: string; last: string | null }>`
          select plan_id, pupil_id, tenant, last_family_contact_on::text as last from caseload_alert_plans
          where open and plan_id > ${after}::uuid order by plan_id limit ${batchSize}`.execute(trx);
        if (rows.length === 0) return true;
        after = rows.at(-1)!.plan_id;
        const tx = new TransactionTx(trx.withTables<EventStoreSchema>());
        const changed = await this.#judge(tx, rows, at);
        result.plans += rows.length;
        result.raised += changed.raised;
        result.cleared += changed.cleared;
        return rows.length < batchSize;
      });
      if (done) return result;
    }
  }

  async #judge(
    tx: TransactionTx,
    rows: readonly { plan_id: string; pupil_id: string; tenant: string; last: string | null }[],
    at: Date,
  ): Promise<{ raised: number; cleared: number }> {
    const { contextFor } = this.#options;
    const today = dateInEngland(at.toISOString());
    const year = academicYearOf(today);
    const marks = await tx.select(marksInForceForYearSql([...new Set(rows.map((r) => r.pupil_id))], year));
    const marksOf = Map.groupBy(marks, (mark) => mark.pupilId);
    const states = await this.#options.states.loadAll(
      rows.map((r) => planStreamId(r.plan_id)),
      (from) => tx.readStreams(from),
    );
    const books = await PlanAlerts.load(
      tx,
      rows.map((r) => r.plan_id),
    );
    const changed = { raised: 0, cleared: 0 };
    for (const row of rows) {
      const state = states.get(planStreamId(row.plan_id));
      if (state === undefined) continue;
      const trend = attendanceTrend({ pupilId: row.pupil_id, marks: marksOf.get(row.pupil_id) ?? [], year });
      const attendance: WeekOfAttendance[] = trend.weeks
        .filter((w) => w.weekStart <= today)
        .map(({ weekStart, possible, attended }) => ({ weekStart, possible, attended }));
      const { raised, cleared } = (books.get(row.plan_id) as PlanAlerts).reconcile(
        { plan: state.state, tenant: row.tenant, lastFamilyContactOn: row.last, attendance },
        contextFor,
        at,
        CASELOAD_ALERT_KINDS,
      );
      changed.raised += raised;
      changed.cleared += cleared;
    }
    await PlanAlerts.flush(tx, books.values());
    return changed;
  }
}
