import { mergePersonal, PlanView as PlanViewSchema, StepView, splitPersonal } from '@small-steps/contracts';
import {
  type Attempt,
  habituationOf,
  type Plan,
  type PlanPolicy,
  type PlanView,
  planEventTypes,
  planView,
  RECENT_ATTEMPTS,
} from '@small-steps/domain';
import type { ReadModelTx, RecordedEvent } from '@small-steps/event-store';
import { type RawBuilder, sql } from 'kysely';
import { LruCache } from '../lru-cache.ts';
import { openedReader, type PersonalCipher, type PersonalSubject } from '../personal-cipher.ts';
import { byStream, type Projection } from '../projection.ts';
import type { StreamStates } from '../stream-states.ts';
import { ONE_OPEN_PLAN_INDEX } from './plan-views-migration.ts';

/** An attempt recorded by an event: the step's `number`th, counting from 1. */
interface NewAttempt {
  stepId: string;
  number: number;
  attempt: Attempt;
}

/** What the plan views read besides the events: the plan states, each tenant's policy (advisories), the cipher. */
export interface PlanViewsDependencies {
  states: StreamStates<Plan>;
  policyFor(tenant: string): PlanPolicy;
  /** Seals the view's personal fields under the pupil's key, so that erasing the pupil reaches them. */
  cipher: PersonalCipher;
}

/**
 * The current plan of each plan stream (`plan_views`) and its attempts (`plan_step_attempts`, a row
 * per attempt written once: the view row holds the plan without them, so recording an attempt does
 * not rewrite every attempt before it). Inline: written in each plan append's statement, so a
 * caller reads its own writes. A second open plan for a pupil fails on the `one-open-plan` unique
 * index: {@link isOneOpenPlanViolation} recognises it.
 *
 * Most events after the ladder is agreed are attempts, which leave the stored view (the plan less
 * its attempts) as it was. Splitting, sealing, sending and parsing it again on every attempt was
 * the largest part of the statement, so where this projection itself stored the view of the version
 * before, and the new view's stored form is the same, only the row's version and time are written.
 */
export function planViewsProjection({ states, policyFor, cipher }: PlanViewsDependencies): Projection {
  const stored = new LruCache<string, StoredView>(VIEWS_KEPT);
  return {
    name: 'plan_views',
    handles: PLAN_EVENT_TYPES,
    tables: ['plan_views', 'plan_step_attempts'],
    async apply(events, tx) {
      for (const [streamId, streamEvents] of byStream(events)) {
        const first = streamEvents[0]!;
        const before =
          first.version === 1 ? undefined : await states.load(streamId, first.version - 1, openedReader(tx, cipher));
        const after = states.follow(before, streamEvents);
        const view = viewOf(after.state, policyFor(after.ownerTenant));
        let written: StoredView | undefined;
        if (view !== null) {
          const subject: PersonalSubject = { id: view.pupilId, class: 'records', tenant: after.ownerTenant };
          const storedView = withoutAttempts(view);
          const text = JSON.stringify(storedView);
          const known = stored.get(streamId);
          const isStoredAlready = known?.version === first.version - 1 && known.text === text;
          // The text remembered already is kept, so that only it outlives this command, not an equal copy.
          written = { version: after.version, text: isStoredAlready ? known.text : text };
          if (isStoredAlready) await touchView(tx, streamEvents, after.version, view.planId);
          else await writeView(tx, cipher, subject, streamEvents, after.version, storedView);
          const attempts = newAttempts(before?.state, after.state);
          if (attempts.length > 0) await tx.execute(await attemptRows(tx, cipher, subject, view.planId, attempts));
        }
        tx.afterCommit(() => {
          states.remember(streamId, after);
          if (written !== undefined) stored.set(streamId, written);
        });
      }
    },
  };
}

const PLAN_EVENT_TYPES: ReadonlySet<string> = new Set(planEventTypes);

/**
 * What a plan's `plan_views` row holds since this projection wrote it and its append committed: the
 * version, and the view less its attempts as JSON (personal fields open, as in the views kept below).
 * Only this projection's own committed writes are known: another process, or a write that failed,
 * leaves nothing, and the next event writes the view whole.
 */
interface StoredView {
  version: number;
  text: string;
}

/** Plans whose stored view is remembered: more than the commands and reads in flight at once. */
const VIEWS_KEPT = 1024;

/**
 * How many of the views last shaped are kept. A command's answer asks for the view its append wrote
 * a moment before, with only the other commands in flight shaping theirs in between, so a few
 * suffice; one overwritten meanwhile is shaped again. Kept by plan until the plan's next command, as
 * they were, every view outlived two minor collections and went to the old generation: a third of
 * the bytes promoted per attempt at 500 attempts/s (a sampling heap profile of the objects minor
 * collections did not free). Even 32 kept lived that long.
 * Not a WeakMap keyed by the state either: its entries outlive their states until a full collection,
 * and tracing thousands of them was most of the longest pauses of the garbage collector under load
 * (`--trace-gc-nvp`: `mark.ephemeron.marking`).
 */
export const RECENT_VIEWS = 8;

const recentViews: ({ plan: Plan; policy: PlanPolicy; view: PlanView | null } | undefined)[] = [];
let nextRecentView = 0;

/**
 * The plan's view, shaped once per state and policy while it is recent: a command answers with the
 * same view its append writes, and both ask for it.
 */
export function viewOf(plan: Plan, policy: PlanPolicy): PlanView | null {
  if (plan.status === 'none') return planView(plan, policy);
  for (const known of recentViews) if (known?.plan === plan && known.policy === policy) return known.view;
  const view = planView(plan, policy);
  recentViews[nextRecentView] = { plan, policy, view };
  nextRecentView = (nextRecentView + 1) % RECENT_VIEWS;
  return view;
}

/** The row of a view already stored as it stands: only its version and the time of its last event move on. */
async function touchView(
  tx: ReadModelTx,
  events: readonly RecordedEvent[],
  version: number,
  planId: string,
): Promise<void> {
  const updatedAt = events.at(-1)!.recordedAt.toISOString();
  await tx.execute(sql`
    update plan_views set version = ${version}::integer, updated_at = ${updatedAt}::timestamptz
    where plan_id = ${planId}::uuid`);
}

/** Writes the view as stored (less its attempts: {@link withoutAttempts}), its personal fields sealed. */
async function writeView(
  tx: ReadModelTx,
  cipher: PersonalCipher,
  subject: PersonalSubject,
  events: readonly RecordedEvent[],
  version: number,
  view: PlanView,
): Promise<void> {
  const opened = events.find((event) => event.type === 'PlanOpened');
  const updatedAt = events.at(-1)!.recordedAt.toISOString();
  const { data, personal } = splitPersonal(PlanViewSchema, view as unknown as Record<string, unknown>);
  const stored = JSON.stringify(data);
  const sealed = JSON.stringify(personal === null ? null : await cipher.seal(subject, personal, tx));
  const schools = JSON.stringify(view.settings.map((s) => s.urn));
  if (opened === undefined) {
    await tx.execute(sql`
      update plan_views set school_urns = ${schools}::jsonb, status = ${view.status}::text, view = ${stored}::jsonb,
        personal = ${sealed}::jsonb, version = ${version}::integer, updated_at = ${updatedAt}::timestamptz
      where plan_id = ${view.planId}::uuid`);
    return;
  }
  await tx.execute(sql`
    insert into plan_views (plan_id, tenant, pupil_id, school_urns, status, view, personal, version, updated_at,
      opened_position)
    values (${view.planId}::uuid, ${subject.tenant}::text, ${view.pupilId}::uuid, ${schools}::jsonb,
      ${view.status}::text, ${stored}::jsonb, ${sealed}::jsonb, ${version}::integer, ${updatedAt}::timestamptz,
      ${tx.positionOf(opened)})`);
}

const AttemptSchema = StepView.shape.attempts.element;

async function attemptRows(
  tx: ReadModelTx,
  cipher: PersonalCipher,
  subject: PersonalSubject,
  planId: string,
  attempts: readonly NewAttempt[],
): Promise<RawBuilder<unknown>> {
  const rows = await Promise.all(
    attempts.map(async (a) => {
      const { data, personal } = splitPersonal(AttemptSchema, a.attempt as unknown as Record<string, unknown>);
      const sealed = personal === null ? null : await cipher.seal(subject, personal, tx);
      return sql`(${planId}::uuid, ${a.stepId}::text, ${a.number}::integer, ${JSON.stringify(data)}::jsonb,
        ${JSON.stringify(sealed)}::jsonb)`;
    }),
  );
  return sql`insert into plan_step_attempts (plan_id, step_id, number, attempt, personal) values ${sql.join(rows)}`;
}

/** A stored view made whole: its personal fields opened and merged back. */
export async function openView(cipher: PersonalCipher, view: PlanView, personal: unknown): Promise<PlanView> {
  const opened = (await cipher.open(personal)) as Record<string, unknown> | null;
  return mergePersonal(view as unknown as Record<string, unknown>, opened) as unknown as PlanView;
}

/** Attempts are only ever added, at the end of a step's list: the new ones are those past the old count. */
function newAttempts(before: Plan | undefined, after: Plan): NewAttempt[] {
  if (after.status === 'none') return [];
  return Object.values(after.steps).flatMap((step) => {
    const known =
      before === undefined || before.status === 'none' ? 0 : (before.steps[step.stepId]?.attempts.length ?? 0);
    return step.attempts.slice(known).map((attempt, i) => ({ stepId: step.stepId, number: known + i + 1, attempt }));
  });
}

/** The view as stored: each step's attempts (and the curve drawn from them) are in their own rows. */
function withoutAttempts(view: PlanView): PlanView {
  return {
    ...view,
    goals: view.goals.map((goal) => ({
      ...goal,
      ladder: goal.ladder.map((step) => ({ ...step, attempts: [], attemptCount: 0, habituation: [] })),
    })),
  };
}

/**
 * A stored view made whole again with its steps' latest attempts, given as {@link AttemptRow}s in
 * step order, each attempt's personal fields opened.
 */
export async function withAttempts(
  cipher: PersonalCipher,
  view: PlanView,
  rows: readonly AttemptRow[],
): Promise<PlanView> {
  const counts = new Map(rows.map(([stepId, , , total]) => [stepId, Number(total)]));
  const attempts = await Promise.all(
    rows.map(async ([stepId, attempt, personal]) => {
      const opened = (await cipher.open(personal)) as Record<string, unknown> | null;
      return [
        stepId,
        mergePersonal(attempt as unknown as Record<string, unknown>, opened) as unknown as Attempt,
      ] as const;
    }),
  );
  const byStep = new Map<string, Attempt[]>();
  for (const [stepId, attempt] of attempts) {
    const list = byStep.get(stepId);
    if (list) list.push(attempt);
    else byStep.set(stepId, [attempt]);
  }
  return {
    ...view,
    goals: view.goals.map((goal) => ({
      ...goal,
      ladder: goal.ladder.map((step) => {
        const stepAttempts = byStep.get(step.stepId) ?? [];
        return {
          ...step,
          attempts: stepAttempts,
          attemptCount: counts.get(step.stepId) ?? 0,
          habituation: habituationOf(stepAttempts),
        };
      }),
    })),
  };
}

/**
 * A column of each ladder step's latest attempts as {@link AttemptRow}s, in step and attempt order,
 * for {@link withAttempts}: `plan_views` must be aliased `v` in the query it goes in. Attempts are
 * numbered from 1 without gaps, so the step's highest number (the primary key's last entry for it,
 * one probe) is its count, and its latest attempts are the range above that less
 * {@link RECENT_ATTEMPTS}. The range is part of the key's condition, so however PostgreSQL fetches
 * them it reads no more rows than it returns. With only `order by … limit`, the plan it chose for the
 * prepared read while its statistics gave each step a handful of attempts (a bitmap scan and a sort)
 * read every attempt of the step on each read: 2.6 ms at about 4,000 instead of 0.3.
 */
export const attemptsColumn = sql<AttemptRow[]>`coalesce((
    select json_agg(json_build_array(r.step_id, r.attempt, r.personal, r.total) order by r.step_id, r.number)
    from (
      select s.step_id, l.number, l.attempt, l.personal, max(l.number) over (partition by s.step_id) as total
      from jsonb_array_elements_text(jsonb_path_query_array(v.view, '$.goals[*].ladder[*].stepId')) as s(step_id)
      cross join lateral (
        select a.number, a.attempt, a.personal from plan_step_attempts a
        where a.plan_id = v.plan_id and a.step_id = s.step_id
          and a.number > (select max(m.number) from plan_step_attempts m
            where m.plan_id = v.plan_id and m.step_id = s.step_id) - ${sql.lit(RECENT_ATTEMPTS)}
        order by a.number desc limit ${sql.lit(RECENT_ATTEMPTS)}) l
    ) r), '[]'::json)`;

/** One of a step's latest attempts as {@link attemptsColumn} reads it: step, attempt, personal fields (sealed), the step's count. */
export type AttemptRow = readonly [stepId: string, attempt: Attempt, personal: unknown, stepAttempts: number];

/** Whether an error is the unique index refusing a second open plan for the same pupil. */
export const isOneOpenPlanViolation = (error: unknown): boolean =>
  typeof error === 'object' &&
  error !== null &&
  (error as { code?: string }).code === '23505' &&
  (error as { constraint?: string }).constraint === ONE_OPEN_PLAN_INDEX;
