import type { Plan } from '../plan/plan-state.ts';
import type { Principal } from './principal.ts';

/**
 * Whether the caller may see and work on the plan: LA callers see every plan of their LA (the
 * tenant is checked where records are read); school staff only plans their school takes part in now.
 */
export const isPlanVisibleTo = (principal: Principal, plan: Plan): boolean =>
  plan.status !== 'none' &&
  (principal.schoolUrn === undefined || plan.settings.some((s) => s.urn === principal.schoolUrn && s.leftOn === null));
