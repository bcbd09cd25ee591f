import type { PlanEvent } from './plan-events.ts';
import { evolveSteps } from './plan-evolve-steps.ts';
import type { Barrier, PlanRecord } from './plan-record.ts';

/** The changes an event makes to what an opened plan knows; `{}` when it does not apply. */
export function evolveRecord(plan: PlanRecord, event: PlanEvent): Partial<PlanRecord> {
  switch (event.type) {
    case 'ViewRecorded':
      return plan.viewsFrom.includes(event.data.role) ? {} : { viewsFrom: [...plan.viewsFrom, event.data.role] };
    case 'GroundworkRecorded':
      return { groundwork: { ...plan.groundwork, [event.data.area]: 'recorded' } };
    case 'GroundworkWaived':
      return plan.groundwork[event.data.area] === 'recorded'
        ? {}
        : { groundwork: { ...plan.groundwork, [event.data.area]: 'waived' } };
    case 'BarrierIdentified': {
      const { barrierId, kind, description, situations, occurredOn } = event.data;
      if (plan.barriers.some((b) => b.barrierId === barrierId)) return {};
      const barrier: Barrier = {
        barrierId,
        kind,
        description,
        situations,
        identifiedOn: occurredOn,
        adjustments: [],
        status: 'open',
        addressedOn: null,
        exclusion: null,
      };
      return { barriers: [...plan.barriers, barrier] };
    }
    case 'AdjustmentPutInPlace': {
      const { kind, description, occurredOn } = event.data;
      return changeBarrier(plan, event.data.barrierId, (b) => ({
        adjustments: [...b.adjustments, { kind, description, occurredOn }],
      }));
    }
    case 'BarrierAddressed':
      return changeBarrier(plan, event.data.barrierId, () => ({
        status: 'addressed',
        addressedOn: event.data.occurredOn,
      }));
    case 'SituationExcluded': {
      const { situation, reason, reviewOn, occurredOn } = event.data;
      return changeBarrier(plan, event.data.barrierId, () => ({
        status: 'excluded',
        exclusion: { situation, reason, reviewOn, occurredOn },
      }));
    }
    case 'KeyAdultAssigned':
      return { keyAdult: event.data.keyAdult };
    case 'CaseOfficerAssigned':
      return { caseOfficer: event.data.officer };
    case 'ProvisionArranged': {
      const { provisionId, provision, occurredOn } = event.data;
      if (plan.provisions.some((p) => p.provisionId === provisionId)) return {};
      return { provisions: [...plan.provisions, { provisionId, provision, arrangedOn: occurredOn, endedOn: null }] };
    }
    case 'ProvisionEnded':
      return {
        provisions: plan.provisions.map((p) =>
          p.provisionId === event.data.provisionId && p.endedOn === null ? { ...p, endedOn: event.data.occurredOn } : p,
        ),
      };
    case 'SettingJoined': {
      const { urn, kind, occurredOn } = event.data;
      if (plan.settings.some((s) => s.urn === urn && s.leftOn === null)) return {};
      return { settings: [...plan.settings, { urn, kind, joinedOn: occurredOn, leftOn: null }] };
    }
    case 'SettingLeft':
      return {
        settings: plan.settings.map((s) =>
          s.urn === event.data.urn && s.leftOn === null ? { ...s, leftOn: event.data.occurredOn } : s,
        ),
      };
    case 'GoalAgreed': {
      const { goalId, pupilWords, occurredOn } = event.data;
      if (plan.goals.some((g) => g.goalId === goalId)) return {};
      return { goals: [...plan.goals, { goalId, pupilWords, agreedOn: occurredOn, achievedOn: null, ladder: [] }] };
    }
    case 'GoalAchieved':
      return {
        goals: plan.goals.map((g) =>
          g.goalId === event.data.goalId && g.achievedOn === null ? { ...g, achievedOn: event.data.occurredOn } : g,
        ),
      };
    case 'ReviewHeld': {
      const { occurredOn, nextReviewOn } = event.data;
      const stretched = plan.stretched.filter((s) => s.occurredOn > occurredOn);
      const isLatest = plan.lastReviewOn === null || occurredOn >= plan.lastReviewOn;
      return isLatest ? { stretched, lastReviewOn: occurredOn, reviewDueBy: nextReviewOn } : { stretched };
    }
    case 'PartTimeTimetableAgreed': {
      const { occurredOn, startsOn, endsOn, reason, hoursPerWeek, extensionReason, reviewDueBy } = event.data;
      const timetable = {
        agreedOn: occurredOn,
        startsOn,
        endsOn,
        reason,
        hoursPerWeek,
        extensionReason,
        endedOn: null,
      };
      return { timetables: [...plan.timetables, timetable], reviewDueBy };
    }
    case 'PartTimeTimetableEnded': {
      const last = plan.timetables.at(-1);
      if (last === undefined || last.endedOn !== null) return {};
      return { timetables: [...plan.timetables.slice(0, -1), { ...last, endedOn: event.data.occurredOn }] };
    }
    default:
      return evolveSteps(plan, event);
  }
}

function changeBarrier(
  plan: PlanRecord,
  barrierId: string,
  change: (b: Barrier) => Partial<Barrier>,
): Partial<PlanRecord> {
  if (!plan.barriers.some((b) => b.barrierId === barrierId)) return {};
  return { barriers: plan.barriers.map((b) => (b.barrierId === barrierId ? { ...b, ...change(b) } : b)) };
}
