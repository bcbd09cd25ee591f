import { describe, expect, it } from 'vitest';
import { planProgress, slopeOf } from '../../src/plan/index.ts';

const point = (occurredOn: string, anxietyBefore: number | null, anxietyAfter: number | null) => ({
  occurredOn,
  anxietyBefore,
  anxietyAfter,
});

const ladderStep = (
  stepId: string,
  fields: Partial<Parameters<typeof planProgress>[0]['goals'][0]['ladder'][0]> = {},
) => ({
  stepId,
  label: stepId.replace('step-', ''),
  state: 'agreed' as const,
  agreedOn: '2026-09-11',
  masteredOn: [],
  habituation: [],
  ...fields,
});

describe('progress figures (docs/domain.md §3 "Progress")', () => {
  it('given anxiety after falling attempt by attempt, then the slope is negative and it is falling', () => {
    expect(slopeOf([6, 5, 3, 2])).toBe(-1.4);
    expect(slopeOf([3, 3, 3])).toBe(0);
    expect(slopeOf([4])).toBeNull();
  });

  it('given a plan, then each step has its curve, its trend and the days from agreement to first mastery', () => {
    const progress = planProgress({
      goals: [
        {
          goalId: 'goal-1',
          ladder: [
            ladderStep('step-1', {
              state: 'mastered',
              masteredOn: ['2026-10-02'],
              habituation: [point('2026-09-14', 7, 6), point('2026-09-15', 6, null), point('2026-09-16', 5, 3)],
            }),
            ladderStep('step-2', {
              state: 'practising',
              masteredOn: ['2026-11-03', '2026-10-20'],
              habituation: [point('2026-10-05', 4, 2), point('2026-10-06', 5, 4)],
            }),
            ladderStep('step-3', { habituation: [point('2026-10-07', 5, null)] }),
          ],
        },
      ],
    });
    expect(
      progress.steps.map((s) => [s.stepId, s.anxietyAfterSlope, s.anxietyAfterFalling, s.daysFromAgreementToMastery]),
    ).toEqual([
      ['step-1', -3, true, 21],
      ['step-2', 2, false, 39],
      ['step-3', null, null, null],
    ]);
    expect(progress.steps[0]!.habituation).toHaveLength(3);
    expect(progress.masteredPerMonth).toEqual([{ month: '2026-10', steps: 2 }]);
  });

  it('given no ladders, then there are no figures', () => {
    expect(planProgress({ goals: [] })).toEqual({ steps: [], masteredPerMonth: [] });
  });
});
