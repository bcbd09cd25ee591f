import { SignJWT } from 'jose';
import type { Principal } from './principal.ts';

export interface DevTokenOptions {
  secret: string;
  issuer: string;
  audience: string;
  expiresIn?: string;
}

/** Mints an HS256 token for development and tests; production verifies against a JWKS instead. */
export async function mintDevToken(principal: Principal, options: DevTokenOptions): Promise<string> {
  return new SignJWT({
    role: principal.role,
    la: principal.tenant,
    ...(principal.schoolUrn ? { school_urn: principal.schoolUrn } : {}),
  })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(principal.id)
    .setIssuer(options.issuer)
    .setAudience(options.audience)
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? '12h')
    .sign(new TextEncoder().encode(options.secret));
}

/** A ready principal per role in a demo LA (Bristol, 801), printed at start in development. */
export const demoPrincipals: Principal[] = [
  { id: 'demo-la-system', role: 'la_system', tenant: '801' },
  { id: 'demo-la-officer', role: 'la_officer', tenant: '801' },
  { id: 'demo-school-staff', role: 'school_staff', tenant: '801', schoolUrn: '100001' },
  { id: 'demo-analyst', role: 'analyst', tenant: '801' },
  { id: 'demo-auditor', role: 'auditor', tenant: '801' },
  { id: 'demo-admin', role: 'admin', tenant: '801' },
];
