import { type Principal, ROLES } from '@small-steps/domain';
import { z } from 'zod';

export type { Principal, Role } from '@small-steps/domain';

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
