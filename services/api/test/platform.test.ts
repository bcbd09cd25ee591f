import { validate } from '@readme/openapi-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databases, describeEachDatabase, officer, startTestApp, type TestApp } from './fixtures/test-app.ts';

describeEachDatabase('platform', (factory) => {
  let t: TestApp;
  let auth: { authorization: string };
  beforeAll(async () => {
    t = await startTestApp(factory, { BODY_LIMIT_BYTES: '2048' });
    auth = { authorization: `Bearer ${await t.token(officer)}` };
  });
  afterAll(async () => t?.close());

  it('answers liveness and readiness without a token', async () => {
    const live = await t.app.inject({ method: 'GET', url: '/health/live' });
    expect(live.statusCode).toBe(200);
    const ready = await t.app.inject({ method: 'GET', url: '/health/ready' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ok', checks: { database: 'ok' } });
  });

  it('serves an OpenAPI 3.1 document and browsable docs without a token', async () => {
    const doc = await t.app.inject({ method: 'GET', url: '/openapi.json' });
    expect(doc.statusCode).toBe(200);
    const body = doc.json();
    expect(body.openapi).toBe('3.1.0');
    expect(Object.keys(body.paths)).toEqual(
      expect.arrayContaining(['/v1/pupils', '/v1/pupils/{pupilId}', '/health/ready']),
    );
    expect(body.components.schemas.RegisterPupilBody.properties.givenName['x-personal']).toBe(true);
    expect(body.servers).toEqual([
      {
        url: '/',
        description:
          'This Small Steps service, in whichever environment serves the document (local, staging or production).',
        'x-internal': false,
      },
    ]);
    const used = new Set(
      Object.values(body.paths as Record<string, Record<string, { tags?: string[] }>>).flatMap((methods) =>
        Object.values(methods).flatMap((op) => op.tags ?? []),
      ),
    );
    const described = (body.tags as { name: string; description: string }[]).filter((t) => t.description);
    expect(described.map((t) => t.name).sort()).toEqual([...used].sort());
    // A picture is declared as what it is, so a generated client does not parse it as JSON.
    expect(Object.keys(body.paths['/v1/pupils/{pupilId}/progress.svg'].get.responses['200'].content)).toEqual([
      'image/svg+xml',
    ]);
    const validation = await validate(structuredClone(body));
    expect(validation.valid ? [] : validation.errors).toEqual([]);
    const docs = await t.app.inject({ method: 'GET', url: '/docs/' });
    expect(docs.statusCode).toBe(200);
    expect(docs.headers['content-type']).toContain('text/html');
    // Nothing from outside the service: the browser is told so, and the page asks for no fonts or proxy.
    expect(docs.headers['content-security-policy']).toContain("default-src 'self'");
    expect(docs.headers['content-security-policy']).toContain("connect-src 'self'");
    expect(docs.body).toContain('"withDefaultFonts": false');
    expect(docs.body).not.toMatch(/<(script|link)[^>]+(src|href)="https?:/);
    const script = docs.body.match(/<script[^>]+src="([^"]+)"/)?.[1];
    expect(script).toBeDefined();
    const bundle = await t.app.inject({ method: 'GET', url: new URL(script!, 'http://service/docs/').pathname });
    expect(bundle.statusCode).toBe(200);
    expect(bundle.headers['content-type']).toMatch(/^application\/javascript/);
    expect(bundle.body.length).toBeGreaterThan(1_000_000);
    expect(bundle.headers['content-security-policy']).toContain("default-src 'self'");
    const bare = await t.app.inject({ method: 'GET', url: '/docs' });
    expect(bare.statusCode).toBe(301);
    expect(bare.headers.location).toBe('/docs/');
  });

  it('serves the guides the API description links to, without a token', async () => {
    const description: string = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json().info.description;
    const links = [...description.matchAll(/\]\((\/docs\/guides\/[a-z]+\.md)\)/g)].map((m) => m[1]!);
    expect(links).toEqual(['/docs/guides/domain.md', '/docs/guides/architecture.md', '/docs/guides/operations.md']);
    for (const url of links) {
      const guide = await t.app.inject({ method: 'GET', url });
      expect(guide.statusCode, url).toBe(200);
      expect(guide.headers['content-type']).toBe('text/markdown; charset=utf-8');
      expect(guide.body).toMatch(/^# /);
    }
    expect((await t.app.inject({ method: 'GET', url: '/docs/guides/secrets.md' })).statusCode).toBe(400);
    expect((await t.app.inject({ method: 'GET', url: '/docs/guides/..%2Fpackage.json' })).statusCode).not.toBe(200);
  });

  it('names every operation with a unique operationId, so generated clients get readable methods', async () => {
    const body = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    const operations = Object.entries(body.paths as Record<string, Record<string, { operationId?: string }>>).flatMap(
      ([path, methods]) =>
        Object.entries(methods).map(([method, op]) => ({ at: `${method} ${path}`, id: op.operationId })),
    );
    expect(operations.filter((op) => !op.id || !/^[a-z][A-Za-z]+$/.test(op.id)).map((op) => op.at)).toEqual([]);
    const ids = operations.map((op) => op.id);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
  });

  it('declares the headers and problem answers every operation has, as the server sends them', async () => {
    const body = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    const attempt = body.paths['/v1/plans/{planId}/steps/{stepId}/attempts'].post;
    expect(attempt.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['Idempotency-Key', 'If-Match', 'Prefer']),
    );
    for (const status of ['400', '401', '403', '404', '409', '412', '413', '422', '429', '503']) {
      expect(Object.keys(attempt.responses[status].content), status).toEqual(['application/problem+json']);
    }
    expect(Object.keys(attempt.responses['200'].headers)).toEqual(
      expect.arrayContaining(['ETag', 'X-Request-Id', 'X-RateLimit-Remaining']),
    );
    expect(Object.keys(attempt.responses['503'].headers)).toContain('Retry-After');
    expect(Object.keys(body.paths['/v1/pupils'].post.responses['201'].headers)).toContain('Location');
    const list = body.paths['/v1/plans'].get;
    expect(Object.keys(list.responses)).toEqual(expect.arrayContaining(['401', '403', '429', '503']));
    expect(list.parameters.map((p: { name: string }) => p.name)).not.toContain('Idempotency-Key');
  });

  it('answers an unknown route with a 404 problem', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/v1/nothing-here', headers: auth });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({
      type: 'https://small-steps.org.uk/problems/not-found',
      status: 404,
      title: 'Not found',
    });
  });

  it('answers malformed JSON with a 400 problem', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/pupils',
      headers: { ...auth, 'content-type': 'application/json' },
      payload: '{"upn": ',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().type).toBe('https://small-steps.org.uk/problems/malformed-json');
  });

  it('answers a body over the limit with a 413 problem', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/pupils',
      headers: { ...auth, 'content-type': 'application/json' },
      payload: JSON.stringify({ givenName: 'x'.repeat(4000) }),
    });
    expect(res.statusCode).toBe(413);
    expect(res.json().type).toBe('https://small-steps.org.uk/problems/payload-too-large');
  });

  it('answers another content type with a 415 problem', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/pupils',
      headers: { ...auth, 'content-type': 'text/plain' },
      payload: 'hello',
    });
    expect(res.statusCode).toBe(415);
    expect(res.json().type).toBe('https://small-steps.org.uk/problems/unsupported-media-type');
  });

  it('lists each bad field of an invalid body', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/pupils',
      headers: auth,
      payload: {
        upn: 'H801200001001',
        givenName: 'Sa\u0000m',
        familyName: '',
        dateOfBirth: '2017-02-30',
        yearGroup: '15',
        senProvision: 'E',
        needs: [],
        schoolUrn: '12',
        admissionDate: '2025-09-03',
      },
    });
    expect(res.statusCode).toBe(400);
    const problem = res.json();
    expect(problem.type).toBe('https://small-steps.org.uk/problems/validation');
    expect(problem.errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual([
      '/body/dateOfBirth',
      '/body/familyName',
      '/body/givenName',
      '/body/schoolUrn',
      '/body/yearGroup',
    ]);
  });
});

describe('authentication', () => {
  const factory = databases[0]!;
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(factory);
  });
  afterAll(async () => t?.close());

  const get = (authorization?: string) =>
    t.app.inject({ method: 'GET', url: '/v1/pupils', headers: authorization ? { authorization } : {} });

  it('refuses a request without a token', async () => {
    const res = await get();
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({
      type: 'https://small-steps.org.uk/problems/unauthenticated',
      detail: 'Send an Authorization header: Bearer <token>.',
    });
  });

  it('refuses a token signed with another secret', async () => {
    const { mintDevToken } = await import('../src/auth/dev-tokens.ts');
    const forged = await mintDevToken(officer, {
      secret: 'x'.repeat(40),
      issuer: t.config.auth.issuer,
      audience: t.config.auth.audience,
    });
    expect((await get(`Bearer ${forged}`)).statusCode).toBe(401);
  });

  it('refuses an expired token', async () => {
    const { mintDevToken } = await import('../src/auth/dev-tokens.ts');
    const expired = await mintDevToken(officer, {
      secret: t.config.auth.secret!,
      issuer: t.config.auth.issuer,
      audience: t.config.auth.audience,
      expiresIn: '-1m',
    });
    const res = await get(`Bearer ${expired}`);
    expect(res.statusCode).toBe(401);
    expect(res.json().detail).toBe('The token has expired.');
  });

  it('refuses school staff tokens without a school', async () => {
    const { SignJWT } = await import('jose');
    const token = await new SignJWT({ role: 'school_staff', la: '801' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('s')
      .setIssuer(t.config.auth.issuer)
      .setAudience(t.config.auth.audience)
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(t.config.auth.secret!));
    const res = await get(`Bearer ${token}`);
    expect(res.statusCode).toBe(401);
    expect(res.json().detail).toContain('school_urn');
  });

  it('refuses a role the route does not allow', async () => {
    const token = await t.token({ id: 'analyst-1', role: 'analyst', tenant: '801' });
    const res = await get(`Bearer ${token}`);
    expect(res.statusCode).toBe(403);
    expect(res.json().type).toBe('https://small-steps.org.uk/problems/forbidden');
  });
});
