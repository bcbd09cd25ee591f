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
