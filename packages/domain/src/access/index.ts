export { isPlanVisibleTo } from './plan-access.ts';
export { type Principal, ROLES, type Role } from './principal.ts';
