/** The roles a caller can hold (README.md, "The API"). */
export const ROLES = ['la_system', 'la_officer', 'school_staff', 'analyst', 'auditor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** The caller, as authenticated: who, in which role, for which LA (the tenant) and, for school staff, school. */
export interface Principal {
  id: string;
  role: Role;
  /** The LA code. */
  tenant: string;
  /** Present for school staff only: they see their school's pupils and the plans it takes part in. */
  schoolUrn?: string;
}

/**
 * Roles that record nothing: auditors read the record to check it, analysts see pseudonymous
 * figures only. A command from either is refused, whatever route it came by.
 */
export const READ_ONLY_ROLES: readonly Role[] = ['auditor', 'analyst'];

export const mayRecord = (principal: Principal): boolean => !READ_ONLY_ROLES.includes(principal.role);
