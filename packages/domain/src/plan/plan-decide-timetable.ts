import { addDays, earlierOf, type IsoDate } from '../calendar/index.ts';
import { accept } from '../decision.ts';
import type * as C from './plan-commands.ts';
import type { PlanContext } from './plan-context.ts';
import { fact, occurredOn, type PlanDecision, refused } from './plan-decision.ts';
import { timetableInForce } from './plan-ladder.ts';
import type { PlanRecord } from './plan-record.ts';
import { agreementNeedsPupil } from './plan-rules.ts';
import { pttNotForBehaviour, pttParentAgreed, pttTimeLimited } from './plan-rules-reviews.ts';
import type { ParentAgreement, TimetableReason } from './plan-values.ts';

/** While it runs, the plan is reviewed at least every 2 weeks (policy), starting from its first day. */
export function agreePartTimeTimetable(
  c: C.AgreePartTimeTimetable,
  plan: PlanRecord,
  { policy }: PlanContext,
): PlanDecision {
  const { participants, reason, parentAgreement, startsOn, endsOn } = c.data;
  const refusal =
    agreementNeedsPupil(participants, 'part-time timetable') ??
    pttNotForBehaviour(reason) ??
    pttParentAgreed(parentAgreement, participants) ??
    pttTimeLimited(plan, c.data, policy);
  if (refusal) return refused(refusal);
  const reviewBy = addDays(startsOn, 7 * policy.maxReviewIntervalWeeksDuringPtt);
  return accept([
    fact('PartTimeTimetableAgreed', {
      ...c.data,
      // The rules above have refused a null end date or agreement and any other reason.
      reason: reason as TimetableReason,
      endsOn: endsOn as IsoDate,
      parentAgreement: parentAgreement as ParentAgreement,
      reviewDueBy: plan.reviewDueBy === null ? reviewBy : earlierOf(plan.reviewDueBy, reviewBy),
      occurredOn: occurredOn(c),
    }),
  ]);
}

export const endPartTimeTimetable = (c: C.EndPartTimeTimetable, plan: PlanRecord): PlanDecision =>
  timetableInForce(plan) === undefined
    ? accept([])
    : accept([fact('PartTimeTimetableEnded', { ...c.data, occurredOn: occurredOn(c) })]);
