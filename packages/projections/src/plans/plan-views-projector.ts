import { type Attempt, habituationOf, type PlanView } from '@small-steps/domain';
import { APPENDED_EVENTS } from '@small-steps/event-store';
import { type RawBuilder, sql } from 'kysely';
import { ONE_OPEN_PLAN_INDEX } from './plan-views-migration.ts';

/** An attempt recorded by an append: the step's `number`th, counting from 1. */
export interface NewAttempt {
  stepId: string;
  number: number;
  attempt: Attempt;
}

export interface PlanViewChange {
  tenant: string;
  /** The plan's view after the append. */
  view: PlanView;
  version: number;
  /** Attempts the append recorded: they go in rows of their own, not in the view row. */
  newAttempts: readonly NewAttempt[];
}

const appended = sql.table(APPENDED_EVENTS);

/**
 * A plan's current view as writes sent with its append (inline projection). The view row holds
 * the plan without its attempts, which are written once each in `plan_step_attempts`; the
 * `PlanOpened` position is kept from the first write, for the cursor. A second open plan for a
 * pupil fails on the `one-open-plan` unique index: {@link isOneOpenPlanViolation} recognises it.
 */
export function planViewWrites({ tenant, view, version, newAttempts }: PlanViewChange): RawBuilder<unknown>[] {
  const viewRow = sql`
    insert into plan_views (plan_id, tenant, pupil_id, school_urns, status, view, version, updated_at, opened_position)
    select ${view.planId}::uuid, ${tenant}::text, ${view.pupilId}::uuid,
      ${JSON.stringify(view.settings.map((s) => s.urn))}::jsonb, ${view.status}::text,
      ${JSON.stringify(withoutAttempts(view))}::jsonb, ${version}::integer, now(), min(position)
    from ${appended} having count(*) > 0
    on conflict (plan_id) do update set school_urns = excluded.school_urns, status = excluded.status,
      view = excluded.view, version = excluded.version, updated_at = excluded.updated_at`;
  if (newAttempts.length === 0) return [viewRow];
  const rows = newAttempts.map(
    (a) => sql`(${view.planId}::uuid, ${a.stepId}::text, ${a.number}::integer, ${JSON.stringify(a.attempt)}::jsonb)`,
  );
  const attemptRows = sql`
    insert into plan_step_attempts (plan_id, step_id, number, attempt)
    select new_attempts.* from (values ${sql.join(rows)}) as new_attempts
    where exists (select from ${appended})
    on conflict do nothing`;
  return [viewRow, attemptRows];
}

/** The view as stored: each step's attempts (and the curve drawn from them) are in their own rows. */
function withoutAttempts(view: PlanView): PlanView {
  return {
    ...view,
    goals: view.goals.map((goal) => ({
      ...goal,
      ladder: goal.ladder.map((step) => ({ ...step, attempts: [], habituation: [] })),
    })),
  };
}

/** A stored view made whole again with its steps' attempts, given as [stepId, attempt] in step order. */
export function withAttempts(view: PlanView, attempts: readonly (readonly [string, Attempt])[]): PlanView {
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
        return { ...step, attempts: stepAttempts, habituation: habituationOf(stepAttempts) };
      }),
    })),
  };
}

/**
 * A column of [stepId, attempt] pairs in step and attempt order, for {@link withAttempts}: `plan_views`
 * must be aliased `v` in the query it goes in.
 */
export const attemptsColumn = sql<[string, Attempt][]>`coalesce((
    select jsonb_agg(jsonb_build_array(a.step_id, a.attempt) order by a.step_id, a.number)
    from plan_step_attempts a where a.plan_id = v.plan_id), '[]'::jsonb)`;

/** Whether an error is the unique index refusing a second open plan for the same pupil. */
export const isOneOpenPlanViolation = (error: unknown): boolean =>
  typeof error === 'object' &&
  error !== null &&
  (error as { code?: string }).code === '23505' &&
  (error as { constraint?: string }).constraint === ONE_OPEN_PLAN_INDEX;
