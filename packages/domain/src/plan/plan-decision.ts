import { dateInEngland, type IsoDate } from '../calendar/index.ts';
import { type Decision, reject } from '../decision.ts';
import type { PlanCommand } from './plan-commands.ts';
import type { PlanEvent, PlanEventType } from './plan-events.ts';
import type { Step } from './plan-record.ts';
import { type Refusal, stepStatus } from './plan-rules.ts';

export type PlanDecision = Decision<PlanEvent>;

type EventOf<T extends PlanEventType> = Extract<PlanEvent, { type: T }>;

/** The date the fact happened: the command's `occurredOn`, else today in England. */
export const occurredOn = (command: PlanCommand): IsoDate =>
  command.metadata.occurredOn ?? dateInEngland(command.metadata.now);

/** An event of the given type: the cast is safe because `data` is typed from `type`. */
export const fact = <T extends PlanEventType>(type: T, data: EventOf<T>['data']): EventOf<T> =>
  ({ type, data }) as EventOf<T>;

export const refused = (refusal: Refusal): PlanDecision => reject(refusal.rule, refusal.reason);

/** `step-status` for a step that left the ladder: split into smaller steps, or withdrawn. */
export function offLadder(step: Step): Refusal | null {
  if (step.status === 'split') return stepStatus(step.label, 'was split into smaller steps: practise those instead.');
  if (step.status === 'withdrawn') return stepStatus(step.label, 'was withdrawn from the plan.');
  return null;
}
