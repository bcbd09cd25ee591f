import { oneOpenPlan, type PlanView } from '@small-steps/domain';
import type { StoredEvent, StoreTransaction } from '@small-steps/event-store';
import { isOneOpenPlanViolation, type PlanViewsSchema, writePlanViewRow } from '@small-steps/projections';
import type { Kysely } from 'kysely';
import { RuleBroken } from '../plugins/problems.ts';

/** Writes the current plan in the append's transaction; a second open plan for the pupil is `one-open-plan`. */
export async function projectPlan(
  trx: StoreTransaction,
  appended: readonly StoredEvent[],
  view: PlanView | null,
  tenant: string,
): Promise<void> {
  const last = appended.at(-1);
  if (!view || !last) return;
  const opened = appended.find((e) => e.type === 'PlanOpened');
  try {
    await writePlanViewRow(trx as unknown as Kysely<PlanViewsSchema>, {
      tenant,
      view,
      version: last.version,
      openedPosition: opened?.position ?? last.position,
    });
  } catch (error) {
    if (!isOneOpenPlanViolation(error)) throw error;
    const { rule, reason } = oneOpenPlan();
    throw new RuleBroken(rule, reason, [
      { pointer: '/body/pupilId', detail: 'already has an open plan', code: 'one_open_plan' },
    ]);
  }
}
