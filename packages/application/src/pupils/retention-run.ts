import { randomUUID } from 'node:crypto';
import { dateInEngland, type RetentionClass, type RetentionEnded, retentionEnded } from '@small-steps/domain';
import type { PersonalCipher } from '@small-steps/projections';
import { type Kysely, sql } from 'kysely';
import type { CommandResult } from '../commands/command-result.ts';
import type { PupilCommands } from './pupil-commands.ts';

/** A pupil's data of one class whose retention period has ended. */
export interface RetentionDue extends RetentionEnded {
  tenant: string;
  pupilId: string;
}

/** How far a run has got: pupils examined out of those registered when it began. */
export interface RetentionProgress {
  examined: number;
  total: number;
  due: number;
  erased: number;
}

export interface RetentionSummary {
  /** The day the periods were judged on (in England). */
  today: string;
  examined: number;
  /** Periods ended, by class: what a dry run lists, and what a run erases. */
  due: Record<RetentionClass, number>;
  erased: number;
  failed: { due: RetentionDue; problem: string }[];
}

export interface RetentionRunOptions {
  /** List what is due, erase nothing. */
  dryRun?: boolean;
  onDue?: (due: RetentionDue) => void;
  onProgress?: (progress: RetentionProgress) => void;
  /** Pupils read per query (default 500). */
  batchSize?: number;
}

interface CandidateRow {
  tenant: string;
  pupil_id: string;
  personal: unknown;
  registered_position: string;
  last_entry: string | null;
  erased: string[] | string;
}

/** Who the run's erasures are recorded as: a system administrator of each tenant. */
const RUN_ID = 'retention-run';

/**
 * Finds the pupils whose retention periods have ended and erases that data as an administrator
 * would (`PupilDataErased`, key destroyed). Erased classes are not found again, so a run that stops
 * part way is finished by running it again.
 */
export class RetentionRun {
  readonly #db: Kysely<object>;
  readonly #cipher: PersonalCipher;
  readonly #pupils: PupilCommands;
  readonly #clock: () => Date;

  constructor(deps: { db: Kysely<object>; cipher: PersonalCipher; pupils: PupilCommands; clock: () => Date }) {
    this.#db = deps.db;
    this.#cipher = deps.cipher;
    this.#pupils = deps.pupils;
    this.#clock = deps.clock;
  }

  async run(options: RetentionRunOptions = {}): Promise<RetentionSummary> {
    const today = dateInEngland(this.#clock().toISOString());
    const summary: RetentionSummary = { today, examined: 0, due: { records: 0, register: 0 }, erased: 0, failed: [] };
    const total = await this.#countPupils();
    const correlationId = randomUUID();
    const report = () =>
      options.onProgress?.({
        examined: summary.examined,
        total: Math.max(total, summary.examined),
        due: summary.due.records + summary.due.register,
        erased: summary.erased,
      });
    report();
    for await (const batch of this.#candidates(options.batchSize ?? 500)) {
      for (const row of batch) {
        for (const due of await this.#dueOf(row, today)) {
          summary.due[due.retentionClass]++;
          options.onDue?.(due);
          if (options.dryRun) continue;
          const result = await this.#erase(due, correlationId);
          if (result.outcome === 'accepted') summary.erased++;
          else summary.failed.push({ due, problem: problemOf(result) });
        }
        summary.examined++;
      }
      report();
    }
    return summary;
  }

  async #dueOf(row: CandidateRow, today: string): Promise<RetentionDue[]> {
    const personal = (await this.#cipher.open(row.personal)) as { dateOfBirth?: unknown } | null;
    const erased = (typeof row.erased === 'string' ? JSON.parse(row.erased) : row.erased) as RetentionClass[];
    const facts = {
      dateOfBirth: typeof personal?.dateOfBirth === 'string' ? personal.dateOfBirth : null,
      lastRegisterEntry: row.last_entry,
      erased,
    };
    return retentionEnded(facts, today).map((ended) => ({ tenant: row.tenant, pupilId: row.pupil_id, ...ended }));
  }

  #erase(due: RetentionDue, correlationId: string): Promise<CommandResult> {
    return this.#pupils.erase(
      {
        type: 'ErasePupilData',
        data: { pupilId: due.pupilId, retentionClass: due.retentionClass, reason: due.reason },
      },
      { principal: { id: RUN_ID, role: 'admin', tenant: due.tenant }, correlationId, returnMinimal: true },
    );
  }

  async #countPupils(): Promise<number> {
    const { rows } = await sql<{ n: string }>`select count(*) as n from pupil_directory`.execute(this.#db);
    return Number(rows[0]?.n ?? 0);
  }

  /**
   * Every pupil with the facts retention is decided from, in registration order, a batch at a time.
   * The last register entry is the later of the last session marked and the last day a mark was
   * recorded, in England: a register entry is kept 6 years from when it was made.
   */
  async *#candidates(batchSize: number): AsyncGenerator<CandidateRow[]> {
    let after = '0';
    for (;;) {
      const { rows } = await sql<CandidateRow>`
        select d.tenant, d.pupil_id::text as pupil_id, d.personal, d.registered_position::text as registered_position,
          (select greatest(max(m.date), max((m.recorded_at at time zone 'Europe/London')::date))::text
             from attendance_marks m where m.pupil_id = d.pupil_id) as last_entry,
          coalesce((select json_agg(k.class order by k.class) from personal_data_keys k
             where k.subject = d.pupil_id and k.destroyed_at is not null), '[]'::json) as erased
        from pupil_directory d
        where d.registered_position > ${after}::bigint
        order by d.registered_position
        limit ${batchSize}`.execute(this.#db);
      if (rows.length === 0) return;
      yield rows;
      after = rows.at(-1)!.registered_position;
    }
  }
}

const problemOf = (result: CommandResult): string => {
  switch (result.outcome) {
    case 'rejected':
      return `${result.rule}: ${result.reason}`;
    case 'not-found':
      return result.detail;
    case 'conflict':
      return `${result.conflict}: ${result.detail}`;
    case 'refused':
      return `${result.refusal}: ${result.detail}`;
    default:
      return result.outcome;
  }
};
