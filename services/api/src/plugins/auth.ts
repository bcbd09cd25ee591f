import { LruCache } from '@small-steps/projections';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { createRemoteJWKSet, type JWTPayload, type JWTVerifyGetKey, errors as joseErrors, jwtVerify } from 'jose';
import { Claims, type Principal, principalFromClaims, type Role } from '../auth/principal.ts';
import type { Config } from '../config.ts';
import { HttpProblem } from './problems.ts';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal;
  }
  interface FastifyContextConfig {
    /** Routes that need no token: health and docs. */
    public?: boolean;
    /** Roles allowed; absent means any authenticated role. */
    roles?: readonly Role[];
  }
}

const unauthenticated = (detail: string) => new HttpProblem('unauthenticated', detail);

/**
 * Who sent a request: the principal of its bearer token, or null when it has no Authorization
 * header. Rejects with the 401 problem when the header or the token is not valid. Each request's
 * token is verified once, however many times its caller is asked for (the rate limiter and
 * authentication both ask).
 */
export type IdentifyCaller = (request: FastifyRequest) => Promise<Principal | null>;

/** Verifies bearer tokens against the configured secret or JWKS. */
export function callerIdentifier(config: Config['auth']): IdentifyCaller {
  const key: Uint8Array | JWTVerifyGetKey = config.jwksUrl
    ? createRemoteJWKSet(new URL(config.jwksUrl))
    : new TextEncoder().encode(config.secret);
  const algorithms = config.jwksUrl ? ['RS256', 'ES256', 'PS256', 'EdDSA'] : ['HS256'];

  // A caller sends the same token on every request until it expires: verify it once.
  const verified = new LruCache<string, { principal: Principal; expiresAt: number }>(10_000);
  const verify = async (token: string): Promise<Principal> => {
    const known = verified.get(token);
    if (known && known.expiresAt > Date.now()) return known.principal;
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, key as Uint8Array, {
        issuer: config.issuer,
        audience: config.audience,
        algorithms,
      }));
    } catch (error) {
      verified.delete(token);
      if (error instanceof joseErrors.JWTExpired) throw unauthenticated('The token has expired.');
      if (error instanceof joseErrors.JOSEError) throw unauthenticated('The token is not valid for this service.');
      throw error;
    }
    const claims = Claims.safeParse(payload);
    if (!claims.success) {
      const what = claims.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ');
      throw unauthenticated(`The token's claims are not usable: ${what}.`);
    }
    const principal = principalFromClaims(claims.data);
    // Tokens without `exp` are re-verified after a minute, so a JWKS key rotation is noticed.
    verified.set(token, { principal, expiresAt: payload.exp === undefined ? Date.now() + 60_000 : payload.exp * 1000 });
    return principal;
  };

  const identify = async (request: FastifyRequest): Promise<Principal | null> => {
    const header = request.headers.authorization;
    if (!header) return null;
    const match = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/.exec(header);
    if (!match?.[1]) throw unauthenticated('The Authorization header must be "Bearer <token>".');
    return verify(match[1]);
  };
  const byRequest = new WeakMap<FastifyRequest, Promise<Principal | null>>();
  return (request) => {
    let caller = byRequest.get(request);
    if (!caller) {
      caller = identify(request);
      byRequest.set(request, caller);
    }
    return caller;
  };
}

/** Bearer-token authentication on every route not marked `public`, and role checks. */
export async function authPlugin(app: FastifyInstance, identifyCaller: IdentifyCaller): Promise<void> {
  app.decorateRequest('principal', null as unknown as Principal);
  app.addHook('onRequest', async (request: FastifyRequest) => {
    const routeConfig = request.routeOptions.config;
    if (routeConfig?.public || request.is404) return;
    const principal = await identifyCaller(request);
    if (!principal) throw unauthenticated('Send an Authorization header: Bearer <token>.');
    request.principal = principal;
    const allowed = routeConfig?.roles;
    if (allowed && !allowed.includes(request.principal.role)) {
      const role = request.principal.role;
      throw new HttpProblem('forbidden', `The ${role} role may not do this; allowed: ${allowed.join(', ')}.`);
    }
  });
}
