import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, otherTenantOfficer, staffAt, startTestApp, type TestApp } from '../fixtures/test-app.ts';
import { attempt, plansOf } from './plan-given.ts';

// Observation counts come from a projection kept from the log: the runner runs in the API process here.
describeEachDatabase('progress figures', (factory) => {
  let t: TestApp;
  let plans: ReturnType<typeof plansOf>;
  beforeAll(async () => {
    t = await startTestApp(factory, { RUN_PROJECTIONS: 'true' });
    plans = plansOf(t);
  });
  afterAll(async () => t?.close());

  it("gives each step's habituation curve, its trend, days to mastery, masteries per month and observation counts", async () => {
    const planId = await plans.activePlan();
    await plans.command(planId, '/steps/step-1/start', { occurredOn: '2026-09-14' });
    for (const [day, anxietyAfter] of [
      ['2026-09-14', 6],
      ['2026-09-15', 4],
      ['2026-09-16', 3],
      ['2026-09-17', 2],
    ] as const) {
      await plans.command(planId, '/steps/step-1/attempts', {
        ...attempt({ anxietyBefore: 7, anxietyAfter }),
        occurredOn: day,
      });
    }
    await plans.command(planId, '/steps/step-1/mastery', { pupilConfirmed: true, occurredOn: '2026-09-18' });
    await plans.masterStep(planId, 2, '2026-10-01');
    await plans.command(planId, '/observations', {
      what: 'Held his ears in assembly.',
      tags: ['trigger'],
      time: '09:05',
      occurredOn: '2026-09-14',
    });
    const read = async () => (await plans.get(`/v1/plans/${planId}/progress`)).json();
    const deadline = Date.now() + 10_000;
    while ((await read()).observations.observations < 1 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const progress = await read();
    expect(progress.planId).toBe(planId);
    expect(progress.steps[0]).toEqual({
      goalId: 'goal-1',
      stepId: 'step-1',
      label: '1',
      state: 'mastered',
      habituation: [
        { occurredOn: '2026-09-14', anxietyBefore: 7, anxietyAfter: 6 },
        { occurredOn: '2026-09-15', anxietyBefore: 7, anxietyAfter: 4 },
        { occurredOn: '2026-09-16', anxietyBefore: 7, anxietyAfter: 3 },
        { occurredOn: '2026-09-17', anxietyBefore: 7, anxietyAfter: 2 },
      ],
      anxietyAfterSlope: -1.3,
      anxietyAfterFalling: true,
      agreedOn: '2026-09-11',
      firstMasteredOn: '2026-09-18',
      daysFromAgreementToMastery: 7,
    });
    expect(progress.steps[1]).toMatchObject({
      stepId: 'step-2',
      anxietyAfterFalling: false,
      daysFromAgreementToMastery: 20,
    });
    expect(progress.steps[2]).toMatchObject({ stepId: 'step-3', habituation: [], anxietyAfterFalling: null });
    expect(progress.masteredPerMonth).toEqual([
      { month: '2026-09', steps: 1 },
      { month: '2026-10', steps: 1 },
    ]);
    expect(progress.observations).toEqual({
      observations: 1,
      byTag: { trigger: 1 },
      byWeekday: { monday: 1 },
      byPartOfDay: { morning: 1 },
    });
  });

  it('answers 404 where the plan itself would: another LA, or a school not taking part', async () => {
    const planId = await plans.openPlan();
    const url = `/v1/plans/${planId}/progress`;
    expect((await plans.get(url, { as: otherTenantOfficer })).statusCode).toBe(404);
    expect((await plans.get(url, { as: staffAt('100002') })).statusCode).toBe(404);
    expect((await plans.get(url, { as: staffAt('100001') })).json()).toMatchObject({ steps: [], masteredPerMonth: [] });
    expect((await plans.get('/v1/plans/0b7e6f0e-3c1e-4c56-9a43-5a0f3f1c2d01/progress')).statusCode).toBe(404);
  });
});
