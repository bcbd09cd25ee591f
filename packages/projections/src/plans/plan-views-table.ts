import type { Attempt, PlanView } from '@small-steps/domain';
import type { ColumnType } from 'kysely';

/** The current plan of each plan stream, written in the append's transaction (read your own writes). */
export interface PlanViewsTable {
  plan_id: string;
  tenant: string;
  pupil_id: string;
  /** URNs of the settings taking part now (jsonb array): their staff may work on the plan. */
  school_urns: ColumnType<string[], string, string>;
  status: PlanView['status'];
  /** The domain's `planView`: what `GET /v1/plans/{planId}` answers. */
  view: ColumnType<PlanView, string, string>;
  /** The view's personal fields, sealed under the pupil's key (null when it has none). */
  personal: ColumnType<unknown, string, string>;
  version: number;
  /** Global position of `PlanOpened`: the keyset for cursor pagination. */
  opened_position: ColumnType<bigint, bigint | string, never>;
  updated_at: ColumnType<Date, Date | string, Date | string>;
}

/** A step's attempts, a row each, written once: the plan's view reads the latest of them. */
export interface PlanStepAttemptsTable {
  plan_id: string;
  step_id: string;
  /** The step's 1st, 2nd … attempt. */
  number: number;
  /** The attempt without its personal fields. */
  attempt: ColumnType<Attempt, string, string>;
  /** Its personal fields, sealed under the pupil's key (null when it has none). */
  personal: ColumnType<unknown, string, string>;
}

export type PlanViewsSchema = {
  plan_views: PlanViewsTable;
  plan_step_attempts: PlanStepAttemptsTable;
};
