import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { describeEachDatabase, startTestApp, type TestApp } from '../fixtures/test-app.ts';
import { agreedBy, plansOf, review, step } from './plan-given.ts';

const folder = mkdtempSync(join(tmpdir(), 'small-steps-settings-'));
const settingsFile = (name: string, content: unknown): string => {
  const path = join(folder, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
};

const problemsOf = (path: string): string[] => {
  try {
    loadConfig({ TENANT_SETTINGS_FILE: path });
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
};

// Autumn term 2026 with its half term (26–30 October): school weeks skip it.
const autumn2026 = [
  { start: '2026-09-02', end: '2026-10-23' },
  { start: '2026-11-02', end: '2026-12-18' },
];

const settings = {
  tenants: {
    '801': {
      policy: { stepTooLargeGap: 3 },
      schools: { '100007': { termDates: autumn2026 } },
      provisionCatalogue: [
        { code: 'forest_school', title: 'Forest school mornings', needs: ['withdrawn_or_isolated'] },
      ],
    },
  },
};

describe('tenant settings file', () => {
  it('is optional: without it every tenant has the default policy and calendar', () => {
    expect(loadConfig({}).tenantSettings).toEqual({ tenants: {} });
  });

  it('is read and checked at start', () => {
    expect(loadConfig({ TENANT_SETTINGS_FILE: settingsFile('good.json', settings) }).tenantSettings).toEqual(settings);
  });

  it('names each bad value on a line of its own', () => {
    const bad = {
      tenants: {
        '80': {},
        '801': { policy: { masteryAttempts: 0, stepTooLarge: 2 } },
        '802': { termDates: [{ start: '2026-09-02', end: '2026-07-22' }] },
      },
    };
    expect(problemsOf(settingsFile('bad.json', bad))).toEqual([
      'TENANT_SETTINGS_FILE tenants.80 must be a 3-digit LA code',
      'TENANT_SETTINGS_FILE tenants.801.policy.masteryAttempts Too small: expected number to be >=1',
      'TENANT_SETTINGS_FILE tenants.801.policy Unrecognized key: "stepTooLarge"',
      'TENANT_SETTINGS_FILE tenants.802.termDates.0.end ends before it starts',
    ]);
  });

  it('says when the file cannot be read or is not JSON', () => {
    expect(problemsOf(join(folder, 'missing.json'))).toEqual([
      `TENANT_SETTINGS_FILE cannot be read (ENOENT): ${join(folder, 'missing.json')}`,
    ]);
    expect(problemsOf(settingsFile('broken.json', '{"tenants": '))[0]).toMatch(
      /^TENANT_SETTINGS_FILE is not valid JSON: /,
    );
  });
});

describeEachDatabase('plans under tenant settings', (factory) => {
  let t: TestApp;
  let plans: ReturnType<typeof plansOf>;
  beforeAll(async () => {
    t = await startTestApp(factory, { TENANT_SETTINGS_FILE: settingsFile('plans.json', settings) });
    plans = plansOf(t);
  });
  afterAll(async () => t?.close());

  it("applies the tenant's policy: a gap of 3 is not too large where the LA allows 3", async () => {
    const planId = await plans.readyPlan();
    const res = await plans.post(`/v1/plans/${planId}/goals/goal-1/steps`, {
      steps: [step(1, { predictedAnxiety: 2 }), step(2, { predictedAnxiety: 5 })],
      participants: agreedBy,
    });
    expect(res.json()).toMatchObject({ status: 'active', advisoriesRaised: [], advisories: [] });
  });

  it("counts school weeks by the school's own term dates, skipping its half term", async () => {
    const withTerms = await plans.activePlan(undefined, '100007');
    const held = review('2026-10-16', '2026-12-04');
    expect((await plans.post(`/v1/plans/${withTerms}/reviews`, held)).statusCode).toBe(200);
    const withoutTerms = await plans.activePlan(undefined, '100001');
    const refused = await plans.post(`/v1/plans/${withoutTerms}/reviews`, held);
    expect(refused.json()).toMatchObject({ status: 422, rule: 'next-review-due' });
    expect(refused.json().detail).toContain('by 2026-11-27');
  });

  it("arranges provision from the tenant's own catalogue entries", async () => {
    const planId = await plans.openPlan();
    const plan = await plans.command(planId, '/provisions', { provisionId: 'p-1', provision: 'forest_school' });
    expect(plan.provisionsInPlace).toMatchObject([{ provision: 'forest_school' }]);
    const unknown = await plans.post(`/v1/plans/${planId}/provisions`, { provisionId: 'p-2', provision: 'pony_rides' });
    expect(unknown.json()).toMatchObject({ status: 422, rule: 'unknown-reference' });
  });
});
