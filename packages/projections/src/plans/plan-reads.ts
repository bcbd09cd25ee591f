import {
  mergePersonal,
  type Plan,
  type PlanHistoryEvent,
  planEventCodec,
  type StepAttempt,
} from '@small-steps/contracts';
import {
  type Attempt,
  habituationOf,
  isBackdated,
  type PlanPolicy,
  type PlanStatus,
  type PlanView,
  type Principal,
} from '@small-steps/domain';
import type { EventStore, StoredEvent } from '@small-steps/event-store';
import { type Kysely, sql } from 'kysely';
import type { AccessLog, Reader } from '../access/access-log.ts';
import { decodeCursor, encodeCursor, isIntegerKeyset, MAX_INTEGER } from '../cursor.ts';
import type { PersonalCipher } from '../personal-cipher.ts';
import type { ObservationPatternsSchema } from './observation-patterns-migration.ts';
import { planFold, planStreamId } from './plan-fold.ts';
import { type AttemptRow, attemptsColumn, openView, viewOf, withAttempts } from './plan-views-projection.ts';
import type { PlanViewsSchema } from './plan-views-table.ts';

export interface PlanFilter {
  status?: PlanStatus;
  schoolUrn?: string;
  pupilId?: string;
  /** Plans last changed at or after this instant. */
  updatedSince?: Date;
}

export interface PageRequest {
  limit: number;
  cursor?: string;
}

/** A plan as read: the domain's view and the stream version (the ETag). */
export const planResource = (view: PlanView, version: number): Plan => ({ ...view, version }) as Plan;

/** An event of the plan's history, read through its codec: its payload as the current contract has it. */
function historyEvent(event: StoredEvent): PlanHistoryEvent[] {
  return planEventCodec.upcasters.upcast(event).map((current) => historyItem(event, current));
}

function historyItem(
  event: StoredEvent,
  current: {
    type: string;
    schemaVersion: number;
    data: Record<string, unknown>;
    personal: Record<string, unknown> | null;
  },
): PlanHistoryEvent {
  const payload = mergePersonal(current.data, current.personal);
  return {
    eventId: event.id,
    type: current.type as PlanHistoryEvent['type'],
    version: event.version,
    schemaVersion: current.schemaVersion,
    recordedAt: event.recordedAt.toISOString(),
    occurredOn: String(current.data.occurredOn),
    isBackdated: isBackdated(String(current.data.occurredOn), event.recordedAt.toISOString()),
    actor: { id: event.metadata.actor.id, role: event.metadata.actor.role },
    reason: typeof payload.reason === 'string' ? payload.reason : null,
    data: current.data,
    personal: current.personal,
  };
}

/**
 * Plans the caller may see: their tenant's, and for school staff only plans their school takes part
 * in. Every read of a plan goes through here, so that reads can be recorded (docs/domain.md §7).
 */
export class PlanReads {
  readonly #store: EventStore;
  readonly #db: Kysely<PlanViewsSchema & ObservationPatternsSchema>;
  readonly #policyFor: (tenant: string) => PlanPolicy;
  readonly #cipher: PersonalCipher;
  readonly #accessLog: AccessLog;

  /**
   * `store` must open personal fields (the application's); `policyFor`: each tenant's plan policy,
   * which decides the advisories a replayed plan shows; `cipher` opens the read model's personal fields.
   */
  constructor(
    store: EventStore,
    db: Kysely<object>,
    policyFor: (tenant: string) => PlanPolicy,
    cipher: PersonalCipher,
    accessLog: AccessLog,
  ) {
    this.#store = store;
    this.#db = db.withTables<PlanViewsSchema & ObservationPatternsSchema>();
    this.#policyFor = policyFor;
    this.#cipher = cipher;
    this.#accessLog = accessLog;
  }

  /** A stored row made whole: its personal fields and its attempts' opened and merged back. */
  async #whole(row: { view: PlanView; personal: unknown; attempts: readonly AttemptRow[] }): Promise<PlanView> {
    return withAttempts(this.#cipher, await openView(this.#cipher, row.view, row.personal), row.attempts);
  }

  private visible(principal: Principal) {
    // Aliased `v`: the attempts column reads the plan's attempt rows by it.
    let query = this.#db.selectFrom('plan_views as v').where('tenant', '=', principal.tenant);
    if (principal.schoolUrn) {
      query = query.where(sql<boolean>`school_urns @> ${JSON.stringify([principal.schoolUrn])}::jsonb`);
    }
    return query;
  }

  /**
   * Whose plan it is, when the reader may see it; the read is recorded before anything of it is
   * answered, so a read that cannot be recorded fails.
   */
  async #recordedRead(reader: Reader, planId: string): Promise<string | undefined> {
    const read = this.visible(reader).select('pupil_id').where('plan_id', '=', planId);
    return (await this.#accessLog.readRecorded(reader, planId, read))?.pupil_id;
  }

  async get(reader: Reader, planId: string): Promise<Plan | undefined> {
    const read = this.visible(reader)
      .select(['view', 'personal', 'version', 'pupil_id', attemptsColumn.as('attempts')])
      .where('plan_id', '=', planId);
    const row = await this.#accessLog.readRecorded(reader, planId, read);
    return row === undefined ? undefined : planResource(await this.#whole(row), row.version);
  }

  /** The plan's version as its read model holds it (written with each append), when the caller may see it. */
  async seenVersion(principal: Principal, planId: string): Promise<number | undefined> {
    const row = await this.visible(principal).select('version').where('plan_id', '=', planId).executeTakeFirst();
    return row?.version;
  }

  /** The plan replayed from the events recorded at or before `at`: what the system knew then. */
  async asOf(reader: Reader, planId: string, at: Date): Promise<Plan | undefined> {
    if ((await this.#recordedRead(reader, planId)) === undefined) return undefined;
    const events = await this.#store.readStream(planStreamId(planId), { recordedAtOrBefore: at });
    const plan = events.reduce(planFold.evolve, planFold.initial());
    const view = viewOf(plan, this.#policyFor(reader.tenant));
    return view ? planResource(view, events.length) : undefined;
  }

  async list(reader: Reader, filter: PlanFilter, page: PageRequest): Promise<{ items: Plan[]; next: string | null }> {
    let query = this.visible(reader)
      .select(['view', 'personal', 'version', 'opened_position', attemptsColumn.as('attempts')])
      .orderBy('opened_position')
      .limit(page.limit + 1);
    if (filter.status) query = query.where('status', '=', filter.status);
    if (filter.pupilId) query = query.where('pupil_id', '=', filter.pupilId);
    if (filter.updatedSince) query = query.where('updated_at', '>=', filter.updatedSince);
    if (filter.schoolUrn) {
      query = query.where(sql<boolean>`school_urns @> ${JSON.stringify([filter.schoolUrn])}::jsonb`);
    }
    if (page.cursor) query = query.where('opened_position', '>', BigInt(decodeCursor(page.cursor, 'p')));
    const rows = await query.execute();
    const last = rows.length > page.limit ? rows[page.limit - 1] : undefined;
    const items = await Promise.all(
      rows.slice(0, page.limit).map(async (row) => planResource(await this.#whole(row), row.version)),
    );
    await this.#accessLog.record(
      reader,
      items.map((plan) => ({ pupilId: plan.pupilId, planId: plan.planId })),
    );
    return { items, next: last ? encodeCursor('p', last.opened_position) : null };
  }

  /**
   * Every attempt on one of the plan's steps, oldest first, a page at a time (the plan itself carries
   * only the latest); undefined when the caller cannot see the plan or it has no such step.
   */
  async attempts(
    reader: Reader,
    planId: string,
    stepId: string,
    page: PageRequest,
  ): Promise<{ items: StepAttempt[]; next: string | null } | undefined> {
    const plan = await this.visible(reader)
      .select(['view', 'pupil_id'])
      .where('plan_id', '=', planId)
      .executeTakeFirst();
    if (!plan?.view.goals.some((goal) => goal.ladder.some((step) => step.stepId === stepId))) return undefined;
    await this.#accessLog.record(reader, [{ pupilId: plan.pupil_id, planId }]);
    const after = page.cursor ? Number(decodeCursor(page.cursor, 'n', { isValue: isIntegerKeyset })) : 0;
    const rows = await this.#db
      .selectFrom('plan_step_attempts')
      .select(['number', 'attempt', 'personal'])
      .where('plan_id', '=', planId)
      .where('step_id', '=', stepId)
      .where('number', '>', after)
      // Numbers run from 1 without gaps, so the page is a range of the key whatever plan is chosen.
      .where('number', '<=', Math.min(after + page.limit + 1, MAX_INTEGER))
      .orderBy('number')
      .limit(page.limit + 1)
      .execute();
    const items = await Promise.all(
      rows.slice(0, page.limit).map(async ({ number, attempt, personal }) => {
        const opened = (await this.#cipher.open(personal)) as Record<string, unknown> | null;
        return {
          ...(mergePersonal(attempt as unknown as Record<string, unknown>, opened) as unknown as Attempt),
          number,
        };
      }),
    );
    const last = rows.length > page.limit ? items.at(-1) : undefined;
    return { items, next: last ? encodeCursor('n', String(last.number)) : null };
  }

  /**
   * The plan with each step's whole habituation curve rather than that of its latest attempts, for
   * progress figures. The curve needs no personal field, so no attempt is opened.
   */
  async withWholeCurves(reader: Reader, planId: string): Promise<Plan | undefined> {
    const plan = await this.get(reader, planId);
    if (plan === undefined) return undefined;
    const rows = await this.#db
      .selectFrom('plan_step_attempts')
      .select(['step_id', 'attempt'])
      .where('plan_id', '=', planId)
      .orderBy('step_id')
      .orderBy('number')
      .execute();
    const byStep = new Map<string, Attempt[]>();
    for (const { step_id, attempt } of rows) byStep.set(step_id, [...(byStep.get(step_id) ?? []), attempt]);
    return {
      ...plan,
      goals: plan.goals.map((goal) => ({
        ...goal,
        ladder: goal.ladder.map((step) => ({ ...step, habituation: habituationOf(byStep.get(step.stepId) ?? []) })),
      })),
    };
  }

  /** The plan's events in order, with who recorded each, when, when it happened and why. */
  async history(
    reader: Reader,
    planId: string,
    page: PageRequest,
  ): Promise<{ items: PlanHistoryEvent[]; next: string | null } | undefined> {
    if ((await this.#recordedRead(reader, planId)) === undefined) return undefined;
    const after = page.cursor ? Number(decodeCursor(page.cursor, 'v', { isValue: isIntegerKeyset })) : 0;
    const events = await this.#store.readStream(planStreamId(planId), {
      fromVersion: after + 1,
      maxCount: page.limit + 1,
    });
    const items = events.slice(0, page.limit).flatMap(historyEvent);
    const last = events.length > page.limit ? items.at(-1) : undefined;
    return { items, next: last ? encodeCursor('v', String(last.version)) : null };
  }

  /**
   * Counts of the plan's logged observations by tag, weekday and part of the school day; kept from
   * the log by the worker, so an observation logged a moment ago may not be counted yet.
   */
  async observationPatterns(reader: Reader, planId: string): Promise<ObservationPatterns | undefined> {
    if ((await this.#recordedRead(reader, planId)) === undefined) return undefined;
    const rows = await this.#db
      .selectFrom('observation_patterns')
      .select(['dimension', 'value', 'count'])
      .where('plan_id', '=', planId)
      .orderBy('dimension')
      .orderBy('value')
      .execute();
    const of = (dimension: string) =>
      Object.fromEntries(rows.filter((row) => row.dimension === dimension).map((row) => [row.value, row.count]));
    return {
      planId,
      observations: rows.find((row) => row.dimension === 'all')?.count ?? 0,
      byTag: of('tag'),
      byWeekday: of('weekday'),
      byPartOfDay: of('part_of_day'),
    };
  }
}

/** A plan's observations counted by what they were tagged, the weekday and the part of the school day. */
export interface ObservationPatterns {
  planId: string;
  observations: number;
  byTag: Record<string, number>;
  byWeekday: Record<string, number>;
  byPartOfDay: Record<string, number>;
}
