import { addDays, type IsoDate } from '../calendar/index.ts';
import type { PlanContext } from './plan-context.ts';
import { isTimetableRunningOn, timetableInForce } from './plan-ladder.ts';
import type { PlanPolicy } from './plan-policy.ts';
import type { PlanRecord } from './plan-record.ts';
import { type Refusal, refusal } from './plan-rules.ts';
import { type ParentAgreement, type Participant, timetableReasons } from './plan-values.ts';

/** The latest date for the review after `from`: 6 school weeks, or 2 weeks while a part-time timetable runs. */
export function latestReviewDate(
  plan: PlanRecord,
  from: IsoDate,
  { policy, calendar }: Pick<PlanContext, 'policy' | 'calendar'>,
): IsoDate {
  return isTimetableRunningOn(plan, from)
    ? addDays(from, 7 * policy.maxReviewIntervalWeeksDuringPtt)
    : calendar.addSchoolWeeks(from, policy.maxReviewIntervalSchoolWeeks);
}

/** `review-hears-pupil`: the pupil attended or gave their view; a parent or carer attended or was consulted. */
export function reviewHearsPupil(review: {
  attendees: readonly Participant[];
  pupilViewGathered: boolean;
  parentConsulted: boolean;
}): Refusal | null {
  const attended = (role: Participant['role']) => review.attendees.some((a) => a.role === role);
  const missing = [
    attended('pupil') || review.pupilViewGathered ? null : 'the pupil did not attend and their view was not gathered',
    attended('parent_carer') || review.parentConsulted ? null : 'no parent or carer attended or was consulted',
  ].filter((why) => why !== null);
  if (missing.length === 0) return null;
  return refusal('review-hears-pupil', `A review hears the pupil and their family, but ${missing.join(', and ')}.`);
}

/** `next-review-due`: the next review is set after this one and no later than the policy allows. */
export function nextReviewDue(
  plan: PlanRecord,
  heldOn: IsoDate,
  nextReviewOn: IsoDate,
  context: Pick<PlanContext, 'policy' | 'calendar'>,
): Refusal | null {
  if (nextReviewOn <= heldOn) {
    return refusal('next-review-due', `The next review must be set for a date after this one (${heldOn}).`);
  }
  const latest = latestReviewDate(plan, heldOn, context);
  if (nextReviewOn <= latest) return null;
  const { maxReviewIntervalWeeksDuringPtt: ptt, maxReviewIntervalSchoolWeeks: weeks } = context.policy;
  return refusal(
    'next-review-due',
    isTimetableRunningOn(plan, heldOn)
      ? `While a part-time timetable runs, the next review is held within ${ptt} weeks, by ${latest}.`
      : `The next review is held within ${weeks} school weeks, by ${latest}: the plan is reviewed regularly.`,
  );
}

/** `ptt-not-for-behaviour`: a reduced timetable is for reintegration or a medical reason only. */
export function pttNotForBehaviour(reason: string): Refusal | null {
  if ((timetableReasons as readonly string[]).includes(reason)) return null;
  return refusal(
    'ptt-not-for-behaviour',
    'A part-time timetable is lawful only as part of a reintegration or for a medical reason: it may not be used to manage behaviour or to exclude by another name.',
  );
}

/** `ptt-parent-agreed`: a parent or carer who took part gave their agreement. */
export function pttParentAgreed(
  agreement: ParentAgreement | null,
  participants: readonly Participant[],
): Refusal | null {
  const isParent = participants.some((p) => p.id === agreement?.parentId && p.role === 'parent_carer');
  if (agreement !== null && isParent) return null;
  return refusal(
    'ptt-parent-agreed',
    agreement === null
      ? "A part-time timetable needs a parent's or carer's agreement, recorded with who agreed and when."
      : 'The agreement to a part-time timetable must come from a parent or carer who took part in agreeing it.',
  );
}

/** `ptt-time-limited`: an end date, no more than the policy's weeks after the start; an extension gives its reason. */
export function pttTimeLimited(
  plan: PlanRecord,
  timetable: { startsOn: IsoDate; endsOn: IsoDate | null; extensionReason?: string | null | undefined },
  policy: PlanPolicy,
): Refusal | null {
  const { startsOn, endsOn } = timetable;
  const latestEnd = addDays(startsOn, 7 * policy.pttMaxWeeks);
  const isExtension = timetableInForce(plan) !== undefined;
  const why =
    endsOn === null
      ? 'needs an end date: it is a short-term measure.'
      : endsOn < startsOn
        ? `cannot end (${endsOn}) before it starts (${startsOn}).`
        : endsOn > latestEnd
          ? `may run at most ${policy.pttMaxWeeks} weeks from its start, so it ends by ${latestEnd}; going on longer is a new agreement with its reason.`
          : isExtension && !timetable.extensionReason?.trim()
            ? 'is already in force: extending it is a new agreement that gives the reason for the extension.'
            : null;
  return why === null ? null : refusal('ptt-time-limited', `A part-time timetable ${why}`);
}
