import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  evolvePlan,
  initialState,
  type Plan,
  type PlanEvent,
  type PlanEventType,
  planEventTypes,
  type StepAttempted,
} from '../../src/plan/index.ts';
import { caseStudy002, historyOf } from '../../src/testing/index.ts';
import { everyEventHistory, historiesByStatus } from './plan-samples.ts';

const replay = (events: readonly PlanEvent[]): Plan => events.reduce(evolvePlan, initialState());
const everyEvent = [...historyOf(everyEventHistory()), ...historyOf(caseStudy002())];

describe('evolvePlan', () => {
  it('lists every event type of docs/domain.md §2', () => {
    expectTypeOf<Exclude<PlanEventType, (typeof planEventTypes)[number]>>().toBeNever();
    expect(planEventTypes).toHaveLength(37);
  });

  it('has a sample of every event type', () => {
    expect(new Set(everyEvent.map((e) => e.type))).toEqual(new Set(planEventTypes));
  });

  it('never throws, whatever the event and whatever the state', () => {
    const states = [
      ...Object.values(historiesByStatus).map((commands) => replay(historyOf(commands))),
      ...everyEvent.map((_, i) => replay(everyEvent.slice(0, i))),
    ];
    for (const state of states) for (const event of everyEvent) expect(() => evolvePlan(state, event)).not.toThrow();
  });

  it('leaves the state as it was for an event that does not apply', () => {
    const none = initialState();
    expect(evolvePlan(none, everyEvent[5] as PlanEvent)).toBe(none);
    const opened = replay(everyEvent.slice(0, 1));
    const unknownStep = { type: 'StepStarted', data: { stepId: 'step-x', occurredOn: '2025-09-15' } } as const;
    expect(evolvePlan(opened, unknownStep)).toEqual(opened);
  });

  it('replays history recorded under older rules: an attempt while paused', () => {
    const paused = replay(historyOf([...historiesByStatus.paused]));
    const attempt: StepAttempted = {
      type: 'StepAttempted',
      data: {
        stepId: 'step-1',
        outcome: 'completed',
        anxietyBefore: 3,
        anxietyAfter: 1,
        minutes: 10,
        extendedBy: null,
        supportsUsed: [],
        pupilWords: null,
        occurredOn: '2025-09-20',
      },
    };
    const after = evolvePlan(paused, attempt);
    expect(after.status === 'paused' && after.steps['step-1']?.attempts).toHaveLength(1);
  });
});
