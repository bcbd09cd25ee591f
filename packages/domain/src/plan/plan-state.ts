import type { IsoDate } from '../calendar/index.ts';
import type { PlanEvent, PlanOpened } from './plan-events.ts';
import { evolveRecord } from './plan-evolve-record.ts';
import type { PlanRecord } from './plan-record.ts';
import type { PlanOutcome } from './plan-values.ts';

export type PlanStatus = 'gathering' | 'active' | 'paused' | 'closed';

export interface UnopenedPlan {
  status: 'none';
}
export interface GatheringPlan extends PlanRecord {
  status: 'gathering';
}
export interface ActivePlan extends PlanRecord {
  status: 'active';
  activatedOn: IsoDate;
}
export interface PausedPlan extends PlanRecord {
  status: 'paused';
  activatedOn: IsoDate;
  pause: { occurredOn: IsoDate; reason: string };
}
export interface ClosedPlan extends PlanRecord {
  status: 'closed';
  activatedOn: IsoDate | null;
  closure: { occurredOn: IsoDate; outcome: PlanOutcome; summary: string; followUpOn: IsoDate | null };
  followUps: { occurredOn: IsoDate; summary: string }[];
}

/** A plan's state: `none` before `PlanOpened`, then one variant per status. */
export type Plan = UnopenedPlan | GatheringPlan | ActivePlan | PausedPlan | ClosedPlan;
export type OpenedPlan = Exclude<Plan, UnopenedPlan>;

export const initialState = (): Plan => ({ status: 'none' });

/**
 * Applies one event. Total: it never throws, and an event that does not apply (a second
 * `PlanOpened`, a step it does not know) leaves the state as it was. Rules live in `decidePlan`, so
 * replaying history recorded under older rules always succeeds.
 */
export function evolvePlan(plan: Plan, event: PlanEvent): Plan {
  if (plan.status === 'none') return event.type === 'PlanOpened' ? opened(event) : plan;
  switch (event.type) {
    case 'PlanActivated':
      return plan.status === 'gathering'
        ? { ...plan, status: 'active', activatedOn: event.data.occurredOn, reviewDueBy: event.data.reviewDueBy }
        : plan;
    case 'PlanPaused':
      return plan.status === 'active'
        ? { ...plan, status: 'paused', pause: { occurredOn: event.data.occurredOn, reason: event.data.reason } }
        : plan;
    case 'PlanResumed':
      return plan.status === 'paused' ? resumed(plan) : plan;
    case 'PlanClosed': {
      if (plan.status === 'closed') return plan;
      const { occurredOn, outcome, summary, followUpOn } = event.data;
      const open = plan.status === 'paused' ? resumed(plan) : plan;
      const activatedOn = open.status === 'active' ? open.activatedOn : null;
      return {
        ...open,
        status: 'closed',
        activatedOn,
        closure: { occurredOn, outcome, summary, followUpOn },
        followUps: [],
      };
    }
    case 'FollowUpRecorded':
      return plan.status === 'closed'
        ? {
            ...plan,
            followUps: [...plan.followUps, { occurredOn: event.data.occurredOn, summary: event.data.summary }],
          }
        : plan;
    default:
      return { ...plan, ...evolveRecord(plan, event) };
  }
}

function resumed({ pause: _pause, ...plan }: PausedPlan): ActivePlan {
  return { ...plan, status: 'active' };
}

function opened({ data }: PlanOpened): GatheringPlan {
  return {
    status: 'gathering',
    planId: data.planId,
    pupilId: data.pupilId,
    schoolUrn: data.schoolUrn,
    openedOn: data.occurredOn,
    presentingConcern: data.presentingConcern,
    keyAdult: data.keyAdult,
    caseOfficer: null,
    settings: [{ urn: data.schoolUrn, kind: 'school', joinedOn: data.occurredOn, leftOn: null }],
    viewsFrom: [],
    groundwork: {},
    barriers: [],
    provisions: [],
    goals: [],
    steps: {},
    timetables: [],
    lastReviewOn: null,
    reviewDueBy: null,
    stretched: [],
  };
}
