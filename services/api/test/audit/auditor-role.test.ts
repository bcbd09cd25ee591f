import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Principal } from '../../src/auth/principal.ts';
import { describeEachDatabase, startTestApp, type TestApp } from '../fixtures/test-app.ts';
import { plansOf } from '../plans/plan-given.ts';

const auditor: Principal = { id: 'auditor-1', role: 'auditor', tenant: '801' };

/** Every command route the API documents: each method but GET, with its path's parameters filled. */
function commandRoutes(t: TestApp): { method: string; url: string }[] {
  const document = t.app.swagger() as { paths: Record<string, Record<string, unknown>> };
  return Object.entries(document.paths).flatMap(([path, operations]) =>
    Object.keys(operations)
      .filter((method) => method !== 'get' && method !== 'head' && method !== 'options')
      .map((method) => ({ method: method.toUpperCase(), url: path.replace(/\{[^}]+\}/g, () => randomUUID()) })),
  );
}

describeEachDatabase('the auditor role', (factory) => {
  let t: TestApp;
  let plans: ReturnType<typeof plansOf>;
  beforeAll(async () => {
    t = await startTestApp(factory);
    plans = plansOf(t);
  });
  afterAll(async () => t?.close());

  it('answers every command route 403 for an auditor, and records nothing', async () => {
    const routes = commandRoutes(t);
    expect(routes.length).toBeGreaterThan(40);
    const token = await t.token(auditor);
    const before = await t.store.readAll({ maxCount: 1000 });
    for (const { method, url } of routes) {
      const response = await t.app.inject({
        method: method as 'POST',
        url,
        headers: { authorization: `Bearer ${token}` },
        payload: {},
      });
      expect({ method, url: url.replace(/[0-9a-f-]{36}/g, '…'), status: response.statusCode }).toEqual({
        method,
        url: url.replace(/[0-9a-f-]{36}/g, '…'),
        status: 403,
      });
      expect(response.json().type).toBe('https://small-steps.org.uk/problems/forbidden');
    }
    expect((await t.store.readAll({ maxCount: 1000 })).events).toHaveLength(before.events.length);
  });

  it("reads the LA's pupils, plans, history and plans as they stood", async () => {
    const planId = await plans.openPlan();
    const plan = (await plans.get(`/v1/plans/${planId}`)).json();
    const as = auditor;
    expect((await plans.get(`/v1/plans/${planId}`, { as })).statusCode).toBe(200);
    expect((await plans.get(`/v1/plans/${planId}?asOf=2099-01-01T00:00:00Z`, { as })).statusCode).toBe(200);
    expect((await plans.get(`/v1/plans/${planId}/events`, { as })).json().items.length).toBeGreaterThan(0);
    expect((await plans.get(`/v1/pupils/${plan.pupilId}`, { as })).statusCode).toBe(200);
    expect((await plans.get(`/v1/plans?pupilId=${plan.pupilId}`, { as })).json().items).toHaveLength(1);
  });

  it("answers another LA's plan 404 to an auditor", async () => {
    const planId = await plans.openPlan();
    const elsewhere: Principal = { ...auditor, tenant: '802' };
    expect((await plans.get(`/v1/plans/${planId}`, { as: elsewhere })).statusCode).toBe(404);
    expect((await plans.get(`/v1/plans/${planId}/events`, { as: elsewhere })).statusCode).toBe(404);
  });
});
