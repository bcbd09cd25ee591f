import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databases, officer, staffAt, startTestApp, type TestApp } from './fixtures/test-app.ts';

const LIMIT = 60;

const byStatus = (answers: LightMyRequestResponse[]) => {
  const counts: Record<number, number> = {};
  for (const a of answers) counts[a.statusCode] = (counts[a.statusCode] ?? 0) + 1;
  return counts;
};

/** Each 429 is a rate-limited problem saying when to try again. */
const expectRateLimited = (answers: LightMyRequestResponse[]) => {
  const limited = answers.filter((a) => a.statusCode === 429);
  expect(limited.length).toBeGreaterThan(0);
  for (const a of limited) {
    expect(a.headers['content-type']).toContain('application/problem+json');
    expect(a.json().type).toBe('https://small-steps.org.uk/problems/rate-limited');
    expect(Number(a.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(a.headers['retry-after'])).toBeLessThanOrEqual(60);
  }
};

describe('rate limit', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(databases[0]!, { RATE_LIMIT_PER_MINUTE: String(LIMIT) });
  });
  afterAll(async () => t?.close());

  const burst = (n: number, request: InjectOptions) =>
    Promise.all(Array.from({ length: n }, () => t.app.inject(request)));

  it('counts requests that validation refuses', async () => {
    const authorization = `Bearer ${await t.token(officer)}`;
    const answers = await burst(500, { method: 'GET', url: '/v1/plans?status=open', headers: { authorization } });
    expect(byStatus(answers)).toEqual({ 400: LIMIT, 429: 500 - LIMIT });
    expectRateLimited(answers);
  });

  it('keeps a count per caller', async () => {
    const authorization = `Bearer ${await t.token(staffAt('100001'))}`;
    const answer = await t.app.inject({ method: 'GET', url: '/v1/plans', headers: { authorization } });
    expect(answer.statusCode).toBe(200);
    expect(answer.headers['x-ratelimit-remaining']).toBe(String(LIMIT - 1));
  });

  it('counts requests without a token, with a token that does not verify, and to no route, by address', async () => {
    const answers = [
      ...(await burst(30, { method: 'GET', url: '/v1/plans' })),
      ...(await burst(30, { method: 'GET', url: '/v1/plans', headers: { authorization: 'Bearer not.a.token' } })),
      ...(await burst(30, { method: 'POST', url: '/v1/nothing-here', payload: {} })),
    ];
    expect(byStatus(answers)).toEqual({ 401: LIMIT, 429: 90 - LIMIT });
    expectRateLimited(answers);
    // A caller with a valid token still has their own count.
    const authorization = `Bearer ${await t.token({ id: 'officer-2', role: 'la_officer', tenant: '801' })}`;
    expect((await t.app.inject({ method: 'GET', url: '/v1/plans', headers: { authorization } })).statusCode).toBe(200);
  });

  it('counts requests the router refuses before any hook runs', async () => {
    const authorization = `Bearer ${await t.token({ id: 'officer-3', role: 'la_officer', tenant: '801' })}`;
    const url = `/v1/plans/${'a'.repeat(101)}`;
    const answers = await burst(LIMIT + 10, { method: 'GET', url, headers: { authorization } });
    expect(byStatus(answers)).toEqual({ 414: LIMIT, 429: 10 });
    expectRateLimited(answers);
  });
});
