import { describe, expect, it } from 'vitest';
import { evolvePlan, initialState, isPlanVisibleTo, type Plan, type Principal } from '../../src/index.ts';
import { command, gatheringCommands, historyOf } from '../../src/testing/index.ts';

const planOf = (commands: ReturnType<typeof gatheringCommands>): Plan =>
  historyOf(commands).reduce(evolvePlan, initialState());

const officer: Principal = { id: 'officer-1', role: 'la_officer', tenant: '801' };
const staffAt = (schoolUrn: string): Principal => ({
  id: `staff-${schoolUrn}`,
  role: 'school_staff',
  tenant: '801',
  schoolUrn,
});

describe('who may see a plan', () => {
  const plan = planOf(gatheringCommands());

  it('given a plan at school 100001, when an LA officer asks, then they see it', () => {
    expect(isPlanVisibleTo(officer, plan)).toBe(true);
  });

  it("given a plan at school 100001, when that school's staff ask, then they see it; another school's do not", () => {
    expect(isPlanVisibleTo(staffAt('100001'), plan)).toBe(true);
    expect(isPlanVisibleTo(staffAt('100002'), plan)).toBe(false);
  });

  it('given a setting that joined and then left, when its staff ask, then they see the plan only while it takes part', () => {
    const joined = planOf([
      ...gatheringCommands(),
      command('JoinSetting', { urn: '100002', kind: 'alternative_provision' }, '2025-09-15'),
    ]);
    expect(isPlanVisibleTo(staffAt('100002'), joined)).toBe(true);
    const left = planOf([
      ...gatheringCommands(),
      command('JoinSetting', { urn: '100002', kind: 'alternative_provision' }, '2025-09-15'),
      command('LeaveSetting', { urn: '100002', reason: 'Placement ended' }, '2025-10-01'),
    ]);
    expect(isPlanVisibleTo(staffAt('100002'), left)).toBe(false);
  });

  it('given no plan yet, when anyone asks, then there is nothing to see', () => {
    expect(isPlanVisibleTo(officer, initialState())).toBe(false);
  });
});
