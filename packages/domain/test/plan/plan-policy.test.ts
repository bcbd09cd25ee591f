import { describe, expect, it } from 'vitest';
import {
  defaultPlanPolicy,
  planPolicy,
  presentingNeeds,
  provisionCatalogue,
  provisionsFor,
} from '../../src/plan/index.ts';

describe('planPolicy', () => {
  it('has the defaults docs/domain.md gives', () => {
    expect(planPolicy()).toEqual(defaultPlanPolicy);
    expect(defaultPlanPolicy).toMatchObject({
      stepTooLargeGap: 2,
      masteryAttempts: 2,
      masteryMaxAnxietyAfter: 3,
      maxReviewIntervalSchoolWeeks: 6,
      maxReviewIntervalWeeksDuringPtt: 2,
      pttMaxWeeks: 8,
      caseloadAlerts: { noFamilyContactDays: 14, currentStepIdleSchoolDays: 5, gatheringWeeks: 4 },
    });
  });

  it("lays a tenant's overrides over the defaults, alerts included", () => {
    const policy = planPolicy({ masteryAttempts: 3, caseloadAlerts: { noFamilyContactDays: 7 } });
    expect(policy.masteryAttempts).toBe(3);
    expect(policy.stepTooLargeGap).toBe(2);
    expect(policy.caseloadAlerts).toEqual({ ...defaultPlanPolicy.caseloadAlerts, noFamilyContactDays: 7 });
  });

  it('ignores an override left undefined', () => {
    expect(planPolicy({ pttMaxWeeks: undefined }).pttMaxWeeks).toBe(8);
  });
});

describe('provisionCatalogue', () => {
  it('lists provision by presenting need, never by diagnosis', () => {
    const catalogue = provisionCatalogue();
    for (const need of Object.keys(presentingNeeds) as (keyof typeof presentingNeeds)[]) {
      expect(provisionsFor(catalogue, need).length).toBeGreaterThan(0);
    }
    expect(provisionsFor(catalogue, 'withdrawn_or_isolated').map((e) => e.code)).toContain('backward_chaining');
  });

  it("adds a tenant's entries and lets one replace a default", () => {
    const catalogue = provisionCatalogue([
      { code: 'safe_space', title: 'The Hub', needs: ['significantly_unhappy_or_stressed'] },
    ]);
    expect(catalogue.filter((e) => e.code === 'safe_space')).toEqual([
      { code: 'safe_space', title: 'The Hub', needs: ['significantly_unhappy_or_stressed'] },
    ]);
  });
});
