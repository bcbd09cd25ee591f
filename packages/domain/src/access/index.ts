export { isPlanVisibleTo } from './plan-access.ts';
export { mayRecord, type Principal, READ_ONLY_ROLES, ROLES, type Role } from './principal.ts';
