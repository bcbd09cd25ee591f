import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, otherTenantOfficer, staffAt, startTestApp, type TestApp } from '../fixtures/test-app.ts';
import { plansOf } from './plan-given.ts';

// Observation patterns are kept from the log by a projection runner, here inside the API process
// (RUN_PROJECTIONS, as on the embedded default): they follow the observations a moment later.
describeEachDatabase('observation patterns', (factory) => {
  let t: TestApp;
  let plans: ReturnType<typeof plansOf>;
  beforeAll(async () => {
    t = await startTestApp(factory, { RUN_PROJECTIONS: 'true' });
    plans = plansOf(t);
  });
  afterAll(async () => t?.close());

  it("counts a plan's observations by tag, weekday and part of the day, and reports the projection ready", async () => {
    const planId = await plans.activePlan();
    const observe = (what: string, tags: string[], time: string | null, occurredOn: string) =>
      plans.command(planId, '/observations', { what, tags, time, occurredOn });
    await observe('Held his ears in assembly.', ['trigger', 'location'], '09:05', '2026-09-14');
    await observe('Stomach ache before maths.', ['somatic', 'lesson'], '13:20', '2026-09-15');
    await observe('Calm in the library.', ['location'], null, '2026-09-15');
    const read = async () => (await plans.get(`/v1/plans/${planId}/observation-patterns`)).json();
    const deadline = Date.now() + 10_000;
    while ((await read()).observations < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(await read()).toEqual({
      planId,
      observations: 3,
      byTag: { lesson: 1, location: 2, somatic: 1, trigger: 1 },
      byWeekday: { monday: 1, tuesday: 2 },
      byPartOfDay: { afternoon: 1, morning: 1 },
    });
    const ready = await t.app.inject({ method: 'GET', url: '/health/ready' });
    expect(ready.json()).toMatchObject({
      status: 'ok',
      checks: { 'projection observation_patterns': 'running, caught up' },
    });
  });

  it("answers 404 for another LA's plan and for staff of a school not taking part", async () => {
    const planId = await plans.openPlan();
    const url = `/v1/plans/${planId}/observation-patterns`;
    expect((await plans.get(url, { as: otherTenantOfficer })).statusCode).toBe(404);
    expect((await plans.get(url, { as: staffAt('100002') })).statusCode).toBe(404);
    expect((await plans.get(url, { as: staffAt('100001') })).json()).toMatchObject({ observations: 0, byTag: {} });
  });
});
