import type { Role } from '@small-steps/domain';

/** Who may record facts (every command route but erasure, which is the administrators'). */
export const WRITERS: readonly Role[] = ['la_system', 'la_officer', 'school_staff'];

/** Who may read pupils, plans, their history and attendance: the writers, and auditors (read-only). */
export const READERS: readonly Role[] = [...WRITERS, 'auditor'];

/** Who may verify a record's hash chain and read the access log: auditors and administrators. */
export const AUDITORS: readonly Role[] = ['auditor', 'admin'];
