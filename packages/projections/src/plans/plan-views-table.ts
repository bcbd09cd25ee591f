import type { PlanView } from '@small-steps/domain';
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

export type PlanViewsSchema = {
  plan_views: PlanViewsTable;
};
