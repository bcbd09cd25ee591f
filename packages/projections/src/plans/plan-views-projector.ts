import type { PlanView } from '@small-steps/domain';
import type { Kysely } from 'kysely';
import { ONE_OPEN_PLAN_INDEX } from './plan-views-migration.ts';
import type { PlanViewsSchema } from './plan-views-table.ts';

export interface PlanViewRow {
  tenant: string;
  view: PlanView;
  version: number;
  /** Position of `PlanOpened`, kept from the first write. */
  openedPosition: bigint;
}

/**
 * Writes a plan's current view after an append (inline projection). A second open plan for a pupil
 * fails on the `one-open-plan` unique index: {@link isOneOpenPlanViolation} recognises it.
 */
export async function writePlanViewRow(db: Kysely<PlanViewsSchema>, row: PlanViewRow): Promise<void> {
  const { view } = row;
  await db
    .insertInto('plan_views')
    .values({
      plan_id: view.planId,
      tenant: row.tenant,
      pupil_id: view.pupilId,
      school_urns: JSON.stringify(view.settings.map((s) => s.urn)),
      status: view.status,
      view: JSON.stringify(view),
      version: row.version,
      updated_at: new Date(),
      opened_position: row.openedPosition,
    })
    // `excluded` rather than the values again: the view is the largest thing a command sends.
    .onConflict((oc) =>
      oc.column('plan_id').doUpdateSet((eb) => ({
        school_urns: eb.ref('excluded.school_urns'),
        status: eb.ref('excluded.status'),
        view: eb.ref('excluded.view'),
        version: eb.ref('excluded.version'),
        updated_at: eb.ref('excluded.updated_at'),
      })),
    )
    .execute();
}

/** Whether an error is the unique index refusing a second open plan for the same pupil. */
export const isOneOpenPlanViolation = (error: unknown): boolean =>
  typeof error === 'object' &&
  error !== null &&
  (error as { code?: string }).code === '23505' &&
  (error as { constraint?: string }).constraint === ONE_OPEN_PLAN_INDEX;
