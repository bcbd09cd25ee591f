import { planAdvisoryIds } from '@small-steps/domain';
import { z } from 'zod';
import { storedDate, storedId, storedList, storedText, wholeNumber } from '../common/bounds.ts';
import { personal } from '../common/personal.ts';
import { uuid } from '../common/safe-text.ts';
import {
  AdjustmentKind,
  AttemptOutcome,
  BarrierKind,
  Extender,
  GroundworkArea,
  PlanOutcome,
  SettingKind,
  TimetableReason,
} from './plan-fields.ts';
import { planExample } from './plan-view-example.ts';

// Responses describe what is stored, so they carry no input limits: a limit changed later must never fail a read.
const date = storedDate();
const text = (name: string) => personal(name, storedText());
const Adult = z.object({ id: storedId(), name: text('name') });

export const PlanStatus = z.enum(['gathering', 'active', 'paused', 'closed']).meta({ id: 'PlanStatus' });
export const StepState = z.enum(['agreed', 'practising', 'mastered', 'split', 'withdrawn']).meta({ id: 'StepState' });

export const Advisory = z
  .object({
    rule: z.enum(planAdvisoryIds),
    detail: storedText(),
    stepId: storedId().optional(),
  })
  .meta({
    id: 'PlanAdvisory',
    description: 'A warning that did not refuse the command (`step-too-large`, `agreed-step-stretched`).',
  });

export const Attempt = z.object({
  occurredOn: date,
  outcome: AttemptOutcome,
  anxietyBefore: z.number().nullable(),
  anxietyAfter: z.number().nullable(),
  minutes: z.number().nullable(),
  extendedBy: Extender.nullable(),
  supportsUsed: personal('supportsUsed', storedList(storedText())),
  pupilWords: text('pupilWords').nullable(),
  round: wholeNumber().meta({ description: 'The practice round: 1, then one more after each revisit.' }),
});

export const StepView = z
  .object({
    stepId: storedId(),
    description: text('description'),
    where: text('where'),
    withWhom: text('withWhom'),
    supports: personal('supports', storedList(storedText())),
    minutes: z.number(),
    timesPerWeek: z.number(),
    predictedAnxiety: z.number(),
    dependsOn: storedList(storedText()),
    label: storedId().meta({ description: '`3`, or `3.2` for the second step that splitting step 3 made.' }),
    state: StepState,
    isCurrent: z.boolean(),
    isRevisiting: z.boolean(),
    revisitedOn: date.nullable(),
    agreedOn: date,
    startedOn: date.nullable(),
    masteredOn: storedList(date),
    splitFrom: storedText().nullable(),
    splitInto: storedList(storedText()),
    withdrawal: z.object({ reason: text('reason'), occurredOn: date }).nullable(),
    blockedBy: storedList(storedText()).meta({
      description: 'Barriers to address before it can be started or attempted.',
    }),
    attempts: storedList(Attempt).meta({
      description:
        'The latest 20 attempts, oldest first, so a plan stays the same size however long a step is practised. `GET /v1/plans/{planId}/steps/{stepId}/attempts` reads every one, a page at a time.',
    }),
    attemptCount: wholeNumber().meta({ description: 'Every attempt recorded on the step.' }),
    habituation: storedList(
      z.object({ occurredOn: date, anxietyBefore: z.number().nullable(), anxietyAfter: z.number().nullable() }),
    ).meta({ description: 'Anxiety before and after each of `attempts` that was made: the habituation curve.' }),
  })
  .meta({
    id: 'StepView',
    description: 'A step as agreed, with its state and latest attempts. An agreed step is never changed.',
  });

const Goal = z.object({
  goalId: storedId(),
  pupilWords: text('pupilWords'),
  agreedOn: date,
  achievedOn: date.nullable(),
  currentStepId: storedId().nullable(),
  ladder: storedList(StepView),
});

const Barrier = z
  .object({
    barrierId: storedId(),
    kind: BarrierKind,
    description: text('description'),
    situations: personal('situations', storedList(storedText())),
    identifiedOn: date,
    adjustments: storedList(z.object({ kind: AdjustmentKind, description: text('description'), occurredOn: date })),
    status: z.enum(['open', 'addressed', 'excluded']),
    addressedOn: date.nullable(),
    exclusion: z
      .object({ situation: text('situation'), reason: text('reason'), reviewOn: date.nullable(), occurredOn: date })
      .nullable(),
  })
  .meta({ id: 'Barrier' });

const Timetable = z.object({
  agreedOn: date,
  startsOn: date,
  endsOn: date,
  reason: TimetableReason,
  hoursPerWeek: storedList(z.number()),
  extensionReason: text('extensionReason').nullable(),
  endedOn: date.nullable(),
});

const groundworkState = z.enum(['recorded', 'waived', 'outstanding']);

/** The current plan (docs/domain.md §3), as the domain's `planView` shapes it. */
export const PlanView = z
  .object({
    planId: uuid,
    pupilId: uuid,
    status: PlanStatus,
    openedOn: date,
    activatedOn: date.nullable(),
    presentingConcern: text('presentingConcern'),
    keyAdult: Adult,
    caseOfficer: Adult.nullable(),
    settings: storedList(z.object({ urn: storedId(), kind: SettingKind, joinedOn: date })),
    readiness: z.object({
      hasPupilView: z.boolean(),
      hasParentView: z.boolean(),
      groundwork: z.record(GroundworkArea, groundworkState),
    }),
    goals: storedList(Goal),
    openBarriers: storedList(Barrier),
    excludedSituations: storedList(Barrier),
    provisionsInPlace: storedList(z.object({ provisionId: storedId(), provision: storedText(), arrangedOn: date })),
    advisories: storedList(Advisory),
    lastReviewOn: date.nullable(),
    nextReviewDue: date.nullable(),
    partTimeTimetable: z.object({
      inForce: Timetable.nullable(),
      agreements: storedList(Timetable),
      totalDays: wholeNumber().meta({ description: 'Calendar days on reduced timetables, all agreements together.' }),
    }),
    pause: z.object({ occurredOn: date, reason: text('reason') }).nullable(),
    closure: z
      .object({ occurredOn: date, outcome: PlanOutcome, summary: text('summary'), followUpOn: date.nullable() })
      .nullable(),
    followUps: storedList(z.object({ occurredOn: date, summary: text('summary') })),
  })
  .meta({ id: 'PlanView' });

/** A plan as read: its current view and the stream version (also the `ETag`). */
export const Plan = PlanView.extend({
  version: wholeNumber().meta({ description: 'Stream version; also the ETag. Send it as If-Match.' }),
}).meta({ id: 'Plan', example: planExample });
export type Plan = z.infer<typeof Plan>;

/** A command's answer: the plan after it, and the advisories this command raised. */
export const PlanCommandResponse = Plan.extend({
  advisoriesRaised: storedList(Advisory).meta({
    description: 'Warnings this command raised (also kept in `advisories` while they stand).',
  }),
}).meta({ id: 'PlanCommandResponse', example: { ...planExample, version: 19, advisoriesRaised: [] } });

/**
 * A command's answer to `Prefer: return=minimal` (RFC 7240): what changed, without the plan. For
 * systems that record many facts and do not need the whole plan back each time.
 */
export const PlanCommandReceipt = z
  .object({
    planId: uuid,
    version: wholeNumber().meta({ description: 'Stream version after the command; also the ETag.' }),
    advisoriesRaised: storedList(Advisory).meta({
      description: "Warnings this command raised (also kept in the plan's `advisories` while they stand).",
    }),
  })
  .meta({ id: 'PlanCommandReceipt', example: { planId: planExample.planId, version: 19, advisoriesRaised: [] } });

/**
 * The media type of a receipt. A command's 200 or 201 says its two bodies apart by media type, so a
 * generated client types each on its own: `application/json` is always the plan (read `status`
 * without narrowing a union), this one always the receipt.
 */
export const PLAN_RECEIPT_MEDIA_TYPE = 'application/vnd.small-steps.plan-receipt+json';

/** A command's answer, by media type: the plan after it, or the receipt when the caller prefers `return=minimal`. */
export const PlanCommandAnswer = {
  content: {
    'application/json': { schema: PlanCommandResponse },
    [PLAN_RECEIPT_MEDIA_TYPE]: { schema: PlanCommandReceipt },
  },
};

/** Whether a command's answer is a receipt: a replay answers as the first request was answered, whatever it prefers. */
export const isPlanCommandReceipt = (body: unknown): boolean =>
  typeof body === 'object' && body !== null && !('status' in body) && 'planId' in body && 'version' in body;
