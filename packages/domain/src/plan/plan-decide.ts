import type { PlanCommand } from './plan-commands.ts';
import type { PlanContext } from './plan-context.ts';
import * as agreements from './plan-decide-agreements.ts';
import * as gathering from './plan-decide-gathering.ts';
import * as lifecycle from './plan-decide-lifecycle.ts';
import * as reviews from './plan-decide-reviews.ts';
import * as steps from './plan-decide-steps.ts';
import * as timetable from './plan-decide-timetable.ts';
import { type PlanDecision, refused } from './plan-decision.ts';
import { factDateInWindow, noPlanYet, planStatus } from './plan-rules.ts';
import { evolvePlan, initialState, type Plan } from './plan-state.ts';

/**
 * Decides a command against the plan's state: the events to append (with any advisories), or the
 * rule it breaks. Pure; it throws only for a programmer error such as a malformed date.
 */
export function decidePlan(command: PlanCommand, plan: Plan, context: PlanContext): PlanDecision {
  const wrongStatus = planStatus(command.type, plan.status);
  if (wrongStatus) return refused(wrongStatus);
  const { now, occurredOn } = command.metadata;
  const wrongDate = occurredOn === undefined ? null : factDateInWindow(occurredOn, now);
  if (wrongDate) return refused(wrongDate);
  if (command.type === 'OpenPlan') return lifecycle.openPlan(command);
  if (plan.status === 'none') return refused(noPlanYet());
  switch (command.type) {
    case 'RecordView':
      return gathering.recordView(command);
    case 'RecordGroundwork':
      return gathering.recordGroundwork(command);
    case 'WaiveGroundwork':
      return gathering.waiveGroundwork(command);
    case 'IdentifyBarrier':
      return gathering.identifyBarrier(command, plan);
    case 'PutAdjustmentInPlace':
      return gathering.putAdjustmentInPlace(command, plan);
    case 'AddressBarrier':
      return gathering.addressBarrier(command, plan);
    case 'ExcludeSituation':
      return gathering.excludeSituation(command, plan);
    case 'AssignKeyAdult':
      return gathering.assignKeyAdult(command);
    case 'TeachCopingStrategy':
      return gathering.teachCopingStrategy(command);
    case 'InvolveExternalAgency':
      return gathering.involveExternalAgency(command);
    case 'ArrangeProvision':
      return gathering.arrangeProvision(command, plan, context);
    case 'EndProvision':
      return gathering.endProvision(command, plan);
    case 'JoinSetting':
      return gathering.joinSetting(command, plan);
    case 'LeaveSetting':
      return gathering.leaveSetting(command, plan);
    case 'AssignCaseOfficer':
      return gathering.assignCaseOfficer(command);
    case 'AgreeGoal':
      return agreements.agreeGoal(command, plan);
    case 'AgreeSteps':
      return agreements.agreeSteps(command, plan, context);
    case 'SplitStep':
      return agreements.splitStep(command, plan, context);
    case 'WithdrawStep':
      return agreements.withdrawStep(command, plan, context);
    case 'StartStep':
      return steps.startStep(command, plan);
    case 'RecordAttempt':
      return steps.recordAttempt(command, plan);
    case 'MasterStep':
      return steps.masterStep(command, plan, context);
    case 'RevisitStep':
      return steps.revisitStep(command, plan);
    case 'HoldReview':
      return reviews.holdReview(command, plan, context);
    case 'CelebrateAchievement':
      return reviews.celebrateAchievement(command);
    case 'RecordFamilyContact':
      return reviews.recordFamilyContact(command);
    case 'LogObservation':
      return reviews.logObservation(command);
    case 'RecordSafeguardingReferral':
      return reviews.recordSafeguardingReferral(command);
    case 'PausePlan':
      return lifecycle.pausePlan(command);
    case 'ResumePlan':
      return lifecycle.resumePlan(command);
    case 'RecordGoalAchieved':
      return lifecycle.recordGoalAchieved(command, plan);
    case 'ClosePlan':
      return lifecycle.closePlan(command, plan);
    case 'RecordFollowUp':
      return lifecycle.recordFollowUp(command);
    case 'AgreePartTimeTimetable':
      return timetable.agreePartTimeTimetable(command, plan, context);
    case 'EndPartTimeTimetable':
      return timetable.endPartTimeTimetable(command, plan);
    default:
      return unknownCommand(command);
  }
}

function unknownCommand(command: never): never {
  throw new Error(`Unknown plan command: ${JSON.stringify((command as { type?: unknown }).type)}`);
}

/** The plan's decider, as STYLE.md §3 names it: `initialState`, `decide`, `evolve`. */
export const planDecider = { initialState, decide: decidePlan, evolve: evolvePlan } as const;
