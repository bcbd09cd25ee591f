import { academicYearOf, academicYearRange } from '../attendance/academic-year.ts';
import { dateInEngland, type IsoDate } from '../calendar/index.ts';
import type { PlanCommandType } from './plan-commands.ts';
import type { PlanRecord } from './plan-record.ts';
import type { PlanStatus } from './plan-state.ts';
import { groundworkAreas, type Participant, schoolStaffRoles } from './plan-values.ts';

/** The rule ids of docs/domain.md §2 that refuse a command (a 422 whose `type` ends in the id). */
export const planRuleIds = [
  'plan-status',
  // Cross-stream: enforced by a unique index in the store, since a decider sees one plan only.
  'one-open-plan',
  'agreement-needs-pupil',
  'views-before-plan',
  'groundwork-before-plan',
  'least-to-most-difficult',
  'needs-before-exposure',
  'no-skipping',
  'agreed-step-unchanged',
  'mastery-needs-comfort',
  'review-hears-pupil',
  'next-review-due',
  'ptt-time-limited',
  'ptt-not-for-behaviour',
  'ptt-parent-agreed',
  'no-future-dates',
  'backdating-within-year',
] as const;

/**
 * Refusals about the command's references rather than the guidance: an id the plan does not know
 * (`unknown-reference`), an id it already uses (`duplicate-id`), a step whose state does not allow
 * the command (`step-status`, as `plan-status` is for the plan). Not in docs/domain.md §2.
 */
export const planReferenceRuleIds = ['unknown-reference', 'duplicate-id', 'step-status'] as const;

/** Warnings that accept the command and stay on the plan view (docs/domain.md §2). */
export const planAdvisoryIds = ['step-too-large', 'agreed-step-stretched'] as const;

export type PlanRuleId = (typeof planRuleIds)[number] | (typeof planReferenceRuleIds)[number];
export type PlanAdvisoryId = (typeof planAdvisoryIds)[number];

/** A broken rule and the plain-English sentence that reaches the user as the problem's detail. */
export interface Refusal {
  rule: PlanRuleId;
  reason: string;
}

export const refusal = (rule: PlanRuleId, reason: string): Refusal => ({ rule, reason });

type Status = PlanStatus | 'none';
const GATHERING_OR_ACTIVE: readonly Status[] = ['gathering', 'active'];
const ACTIVE: readonly Status[] = ['active'];
const OPEN: readonly Status[] = ['gathering', 'active', 'paused'];

/**
 * docs/domain.md §2's status table. One deliberate addition: a safeguarding referral is accepted in
 * every open status, because refusing to record that a concern was passed on would hide it.
 */
export const acceptedIn: Readonly<Record<PlanCommandType, readonly Status[]>> = {
  OpenPlan: ['none'],
  RecordView: OPEN,
  RecordGroundwork: GATHERING_OR_ACTIVE,
  WaiveGroundwork: GATHERING_OR_ACTIVE,
  IdentifyBarrier: OPEN,
  PutAdjustmentInPlace: OPEN,
  AddressBarrier: OPEN,
  ExcludeSituation: OPEN,
  AssignKeyAdult: GATHERING_OR_ACTIVE,
  TeachCopingStrategy: GATHERING_OR_ACTIVE,
  InvolveExternalAgency: GATHERING_OR_ACTIVE,
  ArrangeProvision: GATHERING_OR_ACTIVE,
  EndProvision: GATHERING_OR_ACTIVE,
  JoinSetting: GATHERING_OR_ACTIVE,
  LeaveSetting: GATHERING_OR_ACTIVE,
  AssignCaseOfficer: GATHERING_OR_ACTIVE,
  AgreeGoal: GATHERING_OR_ACTIVE,
  AgreeSteps: GATHERING_OR_ACTIVE,
  StartStep: ACTIVE,
  RecordAttempt: ACTIVE,
  MasterStep: ACTIVE,
  SplitStep: ACTIVE,
  WithdrawStep: ACTIVE,
  RevisitStep: ACTIVE,
  HoldReview: ['active', 'paused'],
  CelebrateAchievement: ACTIVE,
  RecordFamilyContact: ['active', 'paused'],
  LogObservation: ['active', 'paused'],
  RecordSafeguardingReferral: OPEN,
  PausePlan: ACTIVE,
  ResumePlan: ['paused'],
  RecordGoalAchieved: ACTIVE,
  ClosePlan: OPEN,
  RecordFollowUp: ['closed'],
  AgreePartTimeTimetable: ACTIVE,
  EndPartTimeTimetable: ACTIVE,
};

const statusReasons: Record<Status, string> = {
  none: 'There is no plan yet: open one first.',
  gathering:
    'The plan is still gathering information: this is possible once the goal and its steps are agreed and the plan is active.',
  active: 'This is not possible while the plan is active.',
  paused:
    'The plan is paused: it accepts only views, observations, family contacts, reviews, barriers and adjustments until it resumes; steps are not started or attempted.',
  closed: 'The plan is closed: only a follow-up on how the pupil is doing can be recorded.',
};

const commandReasons: Partial<Record<PlanCommandType, string>> = {
  OpenPlan: 'This plan has already been opened.',
  PausePlan: 'Only an active plan can be paused.',
  ResumePlan: 'Only a paused plan can be resumed.',
  RecordFollowUp: 'A follow-up is recorded after the plan is closed.',
};

/** `plan-status`: what each status accepts. */
export function planStatus(command: PlanCommandType, status: Status): Refusal | null {
  if (acceptedIn[command].includes(status)) return null;
  const reason = status === 'none' || status === 'closed' ? statusReasons[status] : commandReasons[command];
  return refusal('plan-status', reason ?? statusReasons[status]);
}

/** `plan-status` for any command but `OpenPlan` before the plan exists. */
export const noPlanYet = (): Refusal => refusal('plan-status', statusReasons.none);

/** `one-open-plan`, for the store's unique index to report: the decider sees one plan only. */
export const oneOpenPlan = (): Refusal =>
  refusal('one-open-plan', 'This pupil already has an open plan: a pupil has one stepped support plan at a time.');

/**
 * `no-future-dates` and `backdating-within-year`: the date a fact happened is today or earlier, and
 * no earlier than 1 August of the academic year containing today (both dates in England, at `now`).
 */
export function factDateInWindow(occurredOn: IsoDate, now: string): Refusal | null {
  const today = dateInEngland(now);
  if (occurredOn > today) {
    return refusal(
      'no-future-dates',
      `A fact is dated on or before today (the date in England), but ${occurredOn} is after ${today}.`,
    );
  }
  const yearStart = academicYearRange(academicYearOf(today)).start;
  if (occurredOn < yearStart) {
    return refusal(
      'backdating-within-year',
      `A fact may be backdated within the current academic year (from 1 August) only, but ${occurredOn} is before ${yearStart}.`,
    );
  }
  return null;
}

/** `agreement-needs-pupil`: the pupil, a parent or carer and a member of school staff took part. */
export function agreementNeedsPupil(participants: readonly Participant[], agreement: string): Refusal | null {
  const roles = new Set(participants.map((p) => p.role));
  const missing = [
    roles.has('pupil') ? null : 'the pupil',
    roles.has('parent_carer') ? null : 'a parent or carer',
    schoolStaffRoles.some((role) => roles.has(role)) ? null : 'a member of school staff',
  ].filter((who) => who !== null);
  if (missing.length === 0) return null;
  return refusal(
    'agreement-needs-pupil',
    `The ${agreement} must be agreed with the pupil, a parent or carer and a member of school staff, but ${listed(missing)} did not take part: the plan is child-led and reinforced by parents and school.`,
  );
}

/** `views-before-plan`: the pupil's and a parent's views are recorded before steps are agreed. */
export function viewsBeforePlan(plan: PlanRecord): Refusal | null {
  const missing = [
    plan.viewsFrom.includes('pupil') ? null : "the pupil's view",
    plan.viewsFrom.includes('parent_carer') ? null : "a parent's or carer's view",
  ].filter((view) => view !== null);
  if (missing.length === 0) return null;
  return refusal(
    'views-before-plan',
    `Steps cannot be agreed until ${listed(missing)} ${missing.length > 1 ? 'are' : 'is'} recorded: the plan starts from what the pupil and family say.`,
  );
}

/** `groundwork-before-plan`: all five groundwork areas are recorded or waived before steps are agreed. */
export function groundworkBeforePlan(plan: PlanRecord): Refusal | null {
  const missing = groundworkAreas.filter((area) => plan.groundwork[area] === undefined);
  if (missing.length === 0) return null;
  return refusal(
    'groundwork-before-plan',
    `Steps cannot be agreed until every groundwork area is recorded or waived; still open: ${missing.map((a) => a.replaceAll('_', ' ')).join(', ')}.`,
  );
}

export const listed = (items: readonly string[]): string =>
  items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;

/** `unknown-reference`: the command names a goal, step, barrier, provision or setting this plan does not have. */
export const unknownReference = (what: string, id: string): Refusal =>
  refusal('unknown-reference', `This plan has no ${what} with id ${JSON.stringify(id)}.`);

/** `unknown-reference` for a provision code that the tenant's catalogue does not list. */
export const notInCatalogue = (code: string): Refusal =>
  refusal(
    'unknown-reference',
    `The provision catalogue has no entry ${JSON.stringify(code)}: arrange provision from the catalogue.`,
  );

/** `duplicate-id`: ids come with the command, and each names one thing of its kind for the plan's life. */
export function duplicateIds(what: string, ids: readonly string[], taken: (id: string) => boolean): Refusal | null {
  const seen = new Set<string>();
  for (const id of ids) {
    if (taken(id) || seen.has(id)) {
      return refusal(
        'duplicate-id',
        `The id ${JSON.stringify(id)} already names a ${what} of this plan: give each new ${what} its own id.`,
      );
    }
    seen.add(id);
  }
  return null;
}

/** `step-status`: the step's state does not take this command. */
export const stepStatus = (label: string, why: string): Refusal => refusal('step-status', `Step ${label} ${why}`);
