import { expect } from 'vitest';
import type { Decision } from '../src/decision.ts';

/** A decider as STYLE.md §3 describes it; `context` is what `decide` is told besides the state. */
export interface Decider<C, E, S, X> {
  initialState(): S;
  decide(command: C, state: S, context: X): Decision<E>;
  evolve(state: S, event: E): S;
}

/**
 * Given past events, when a command is decided, then assert the outcome:
 * `spec.given(...history).when(command).thenRejected('no-skipping')`.
 */
export function specification<C, E, S, X>(decider: Decider<C, E, S, X>, context: X) {
  return {
    given: (...history: E[]) => ({
      when: (command: C, overrides: Partial<X> = {}) => {
        const state = history.reduce((s, e) => decider.evolve(s, e), decider.initialState());
        const decision = decider.decide(command, state, { ...context, ...overrides });
        return {
          decision,
          /** Accepted with exactly these events. */
          thenEmits(events: E[]) {
            expect(decision).toMatchObject({ outcome: 'accepted' });
            expect(decision.outcome === 'accepted' && decision.events).toEqual(events);
          },
          /** Accepted; returns the events for closer assertions. */
          thenAccepted(): E[] {
            expect(decision, rejectionOf(decision)).toMatchObject({ outcome: 'accepted' });
            return decision.outcome === 'accepted' ? decision.events : [];
          },
          /** Refused by this rule, with a sentence saying why. */
          thenRejected(rule: string) {
            expect(decision).toMatchObject({ outcome: 'rejected', rule });
            expect(decision.outcome === 'rejected' && decision.reason).toMatch(/^[A-Z].+[.:]/);
          },
          /** Accepted with an advisory of this rule; returns the advisories. */
          thenAdvises(rule: string) {
            expect(decision, rejectionOf(decision)).toMatchObject({ outcome: 'accepted' });
            const advisories = decision.outcome === 'accepted' ? (decision.advisories ?? []) : [];
            expect(advisories.map((a) => a.rule)).toContain(rule);
            return advisories;
          },
          /** Accepted with no advisory. */
          thenAdvisesNothing() {
            expect(decision, rejectionOf(decision)).toMatchObject({ outcome: 'accepted' });
            expect(decision.outcome === 'accepted' && (decision.advisories ?? [])).toEqual([]);
          },
        };
      },
    }),
  };
}

const rejectionOf = (decision: Decision<unknown>) =>
  decision.outcome === 'rejected' ? `refused by ${decision.rule}: ${decision.reason}` : 'accepted';
