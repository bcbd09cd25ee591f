import { describe, expect, it } from 'vitest';
import type { IsoDate } from '../../src/calendar/index.ts';
import { acceptedIn, type PlanCommand, type PlanCommandType, planDecider } from '../../src/plan/index.ts';
import { activeCommands, command, historyOf, openPlan, recordAttempt, testContext } from '../../src/testing/index.ts';
import { specification } from '../given-when-then.ts';
import { historiesByStatus, sampleCommands } from './plan-samples.ts';

const spec = specification(planDecider, testContext());
const given = (commands: readonly PlanCommand[]) => spec.given(...historyOf(commands));

/** Monday 6 October 2025, 09:00 in England: the academic year 2025 began on 1 August 2025. */
const now = '2025-10-06T08:00:00Z';

/** The command as recorded at `at`, dated `occurredOn`. */
const recorded = <C extends PlanCommand>(c: C, at: string, occurredOn: IsoDate): C => ({
  ...c,
  metadata: { ...c.metadata, now: at, occurredOn },
});

/** Every command type, with a plan whose status takes it. */
const commandTypes = (Object.keys(sampleCommands) as PlanCommandType[]).map((type) => {
  const status = (['active', 'gathering', 'paused', 'closed', 'none'] as const).find((s) =>
    acceptedIn[type].includes(s),
  );
  return [type, historiesByStatus[status!]] as const;
});

const reasonOf = (decision: { outcome: string; reason?: string }) => decision.reason;

describe('no-future-dates', () => {
  it('refuses a fact dated after today, saying which day today is', () => {
    const { decision } = given(activeCommands()).when(recorded(recordAttempt(1), now, '2025-10-07'));
    expect(decision).toMatchObject({ outcome: 'rejected', rule: 'no-future-dates' });
    expect(reasonOf(decision)).toBe(
      'A fact is dated on or before today (the date in England), but 2025-10-07 is after 2025-10-06.',
    );
  });

  it('accepts a fact dated today', () => {
    const [opened] = given([])
      .when(recorded(openPlan(), now, '2025-10-06'))
      .thenAccepted();
    expect(opened?.data.occurredOn).toBe('2025-10-06');
  });

  it('takes today in England: half past midnight in summer time is already the next day', () => {
    given([])
      .when(recorded(openPlan(), '2025-10-06T23:30:00Z', '2025-10-07'))
      .thenAccepted();
    given([])
      .when(recorded(openPlan(), '2025-12-01T23:30:00Z', '2025-12-02'))
      .thenRejected('no-future-dates');
  });

  it.each(commandTypes)('refuses %s dated tomorrow', (type, history) => {
    given(history)
      .when(recorded(sampleCommands[type], now, '2025-10-07'))
      .thenRejected('no-future-dates');
  });
});

describe('backdating-within-year', () => {
  it('accepts a fact backdated to 1 August, the first day of the academic year', () => {
    const [opened] = given([])
      .when(recorded(openPlan(), now, '2025-08-01'))
      .thenAccepted();
    expect(opened?.data.occurredOn).toBe('2025-08-01');
  });

  it('refuses a fact dated in the academic year before, saying when this one began', () => {
    const { decision } = given([]).when(recorded(openPlan(), now, '2025-07-31'));
    expect(decision).toMatchObject({ outcome: 'rejected', rule: 'backdating-within-year' });
    expect(reasonOf(decision)).toBe(
      'A fact may be backdated within the current academic year (from 1 August) only, but 2025-07-31 is before 2025-08-01.',
    );
  });

  it('turns with the academic year in England: from midnight on 1 August the year before is closed', () => {
    // 22:30 UTC on 31 July is 23:30 in England: still the academic year 2025.
    given(activeCommands())
      .when(recorded(sampleCommands.LogObservation, '2026-07-31T22:30:00Z', '2025-08-01'))
      .thenAccepted();
    // 23:30 UTC is 00:30 on 1 August in England: the academic year 2026 has begun.
    given(activeCommands())
      .when(recorded(sampleCommands.LogObservation, '2026-07-31T23:30:00Z', '2026-07-31'))
      .thenRejected('backdating-within-year');
  });

  it('dates a follow-up in the year it is recorded, not in the year the plan closed', () => {
    const followUp = command('RecordFollowUp', { summary: 'Attends full time.' });
    given(historiesByStatus.closed)
      .when(recorded(followUp, '2026-09-15T08:00:00Z', '2026-07-20'))
      .thenRejected('backdating-within-year');
    given(historiesByStatus.closed)
      .when(recorded(followUp, '2026-09-15T08:00:00Z', '2026-09-01'))
      .thenAccepted();
  });

  it.each(commandTypes)('refuses %s dated before 1 August', (type, history) => {
    given(history)
      .when(recorded(sampleCommands[type], now, '2025-07-31'))
      .thenRejected('backdating-within-year');
  });
});
