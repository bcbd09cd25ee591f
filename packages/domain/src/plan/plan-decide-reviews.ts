import { accept } from '../decision.ts';
import type * as C from './plan-commands.ts';
import type { PlanContext } from './plan-context.ts';
import { fact, occurredOn, type PlanDecision, refused } from './plan-decision.ts';
import type { PlanRecord } from './plan-record.ts';
import { nextReviewDue, reviewHearsPupil } from './plan-rules-reviews.ts';

export function holdReview(c: C.HoldReview, plan: PlanRecord, context: PlanContext): PlanDecision {
  const on = occurredOn(c);
  const refusal = reviewHearsPupil(c.data) ?? nextReviewDue(plan, on, c.data.nextReviewOn, context);
  return refusal ? refused(refusal) : accept([fact('ReviewHeld', { ...c.data, occurredOn: on })]);
}

export const celebrateAchievement = (c: C.CelebrateAchievement): PlanDecision =>
  accept([fact('AchievementCelebrated', { ...c.data, occurredOn: occurredOn(c) })]);

export const recordFamilyContact = (c: C.RecordFamilyContact): PlanDecision =>
  accept([fact('FamilyContactRecorded', { ...c.data, occurredOn: occurredOn(c) })]);

export const logObservation = (c: C.LogObservation): PlanDecision =>
  accept([fact('ObservationLogged', { ...c.data, occurredOn: occurredOn(c) })]);

/** Only that a concern was passed on, by whom and when: the concern itself belongs in the safeguarding record. */
export const recordSafeguardingReferral = (c: C.RecordSafeguardingReferral): PlanDecision =>
  accept([fact('SafeguardingReferralMade', { referredBy: c.data.referredBy, occurredOn: occurredOn(c) })]);
