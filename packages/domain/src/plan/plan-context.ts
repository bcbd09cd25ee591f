import type { SchoolCalendar } from '../calendar/index.ts';
import type { PlanPolicy } from './plan-policy.ts';
import type { ProvisionEntry } from './plan-provision-catalogue.ts';

/**
 * What the decider is told besides the command and the state: the tenant's policy, the calendar of
 * the plan's school (`PlanOpened.schoolUrn`) and the tenant's provision catalogue.
 */
export interface PlanContext {
  policy: PlanPolicy;
  calendar: SchoolCalendar;
  provisionCatalogue: readonly ProvisionEntry[];
}
