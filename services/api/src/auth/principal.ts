import { z } from 'zod';

export const ROLES = ['la_system', 'la_officer', 'school_staff', 'analyst', 'auditor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** The caller, from verified token claims. The tenant is the LA code. */
export interface Principal {
  id: string;
  role: Role;
  tenant: string;
  /** Present for school staff only: they see their school's pupils. */
  schoolUrn?: string;
}

/** Claims we read from a token, beyond the registered ones. */
export const Claims = z
  .object({
    sub: z.string().min(1).max(200),
    role: z.enum(ROLES),
    la: z.string().regex(/^\d{3}$/, { message: 'must be a 3-digit LA code' }),
    school_urn: z
      .string()
      .regex(/^\d{6}$/, { message: 'must be a 6-digit URN' })
      .optional(),
  })
  .refine((c) => c.role !== 'school_staff' || c.school_urn !== undefined, {
    message: 'school_staff tokens must carry school_urn',
    path: ['school_urn'],
  });

export const principalFromClaims = (claims: z.infer<typeof Claims>): Principal => ({
  id: claims.sub,
  role: claims.role,
  tenant: claims.la,
  ...(claims.school_urn ? { schoolUrn: claims.school_urn } : {}),
});
