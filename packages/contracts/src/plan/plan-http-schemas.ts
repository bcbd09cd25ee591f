import { planEventTypes } from '@small-steps/domain';
import { z } from 'zod';
import { storedId, storedInstant, storedList, storedText, wholeNumber } from '../common/bounds.ts';
import { PageQuery, page, updatedSince } from '../common/pagination.ts';
import { personal } from '../common/personal.ts';
import { isoDate, isoDateTime, schoolUrn, uuid } from '../common/safe-text.ts';
import { GroundworkArea, itemId } from './plan-fields.ts';
import { Attempt, Plan, PlanStatus, StepState } from './plan-view-schemas.ts';

export const PlanIdParams = z.object({ planId: uuid });
export const PlanGoalParams = PlanIdParams.extend({ goalId: itemId });
export const PlanStepParams = PlanIdParams.extend({ stepId: itemId });
export const PlanBarrierParams = PlanIdParams.extend({ barrierId: itemId });
export const PlanProvisionParams = PlanIdParams.extend({ provisionId: itemId });
export const PlanSettingParams = PlanIdParams.extend({ urn: schoolUrn });
export const PlanGroundworkParams = PlanIdParams.extend({ area: GroundworkArea });

export const PlanReadQuery = z.object({
  asOf: isoDateTime.optional().meta({
    description:
      'Read the plan as the record stood at this instant (recording time: what the system knew then), replayed from its events.',
    example: '2026-10-01T12:00:00Z',
  }),
});

export const PlanListQuery = PageQuery.extend({
  status: PlanStatus.optional(),
  schoolUrn: schoolUrn.optional().meta({ description: 'Plans this school takes part in.' }),
  pupilId: uuid.optional(),
  updatedSince,
});

export const PlanPage = page(Plan, 'PlanPage');

/** One event of a plan's history, as the audit trail shows it. */
export const PlanHistoryEvent = z
  .object({
    eventId: storedId(),
    type: z.enum(planEventTypes),
    version: wholeNumber().meta({ description: 'Its place in the plan: 1 is `PlanOpened`.' }),
    schemaVersion: wholeNumber(),
    recordedAt: storedInstant().meta({ description: 'When the system recorded it (ISO 8601).' }),
    occurredOn: storedText().meta({ description: 'When it happened (YYYY-MM-DD in England).' }),
    isBackdated: z.boolean().meta({
      description:
        'True when it was recorded after the day it happened: `occurredOn` is before the date in England at `recordedAt`. Backdating is allowed within the current academic year only.',
    }),
    actor: z.object({ id: storedId(), role: storedId() }).meta({ description: 'Who recorded it.' }),
    reason: personal('reason', storedText())
      .nullable()
      .meta({ description: 'Why, where the event gives a reason (a waiver, a split, a pause …).' }),
    data: z.record(storedId(), z.unknown()),
    personal: personal('personal', z.record(storedId(), z.unknown()))
      .nullable()
      .meta({ description: 'The personal fields, stored apart from `data` and shaped like it.' }),
  })
  .meta({
    id: 'PlanHistoryEvent',
    example: {
      eventId: '6c0d9a52-1f3b-4e8a-9c7d-2b4e6f8a0c13',
      type: 'StepAttempted',
      version: 18,
      schemaVersion: 1,
      recordedAt: '2026-10-12T09:40:12.311Z',
      occurredOn: '2026-10-12',
      isBackdated: false,
      actor: { id: 'staff-4471', role: 'school_staff' },
      reason: null,
      data: { stepId: 'step-1', outcome: 'completed', anxietyBefore: 5, anxietyAfter: 3, minutes: 15 },
      personal: { supportsUsed: ['Ear defenders'] },
    },
  });
export type PlanHistoryEvent = z.infer<typeof PlanHistoryEvent>;

export const PlanHistoryPage = page(PlanHistoryEvent, 'PlanHistoryPage');
export const PlanHistoryQuery = PageQuery;

export const StepAttempt = Attempt.extend({
  number: wholeNumber().meta({ description: "The step's 1st, 2nd … attempt." }),
}).meta({
  id: 'StepAttempt',
  example: {
    occurredOn: '2026-10-12',
    outcome: 'completed',
    anxietyBefore: 5,
    anxietyAfter: 3,
    minutes: 15,
    extendedBy: null,
    supportsUsed: ['Ear defenders'],
    pupilWords: 'It was fine once I was in.',
    round: 1,
    number: 3,
  },
});
export type StepAttempt = z.infer<typeof StepAttempt>;
export const StepAttemptPage = page(StepAttempt, 'StepAttemptPage');
export const StepAttemptQuery = PageQuery;

const counts = (what: string) =>
  z.record(storedId(), wholeNumber(0)).meta({ description: `Observations counted ${what}.` });

/** A plan's logged observations counted by tag, weekday and part of the school day. */
export const ObservationPatterns = z
  .object({
    planId: storedId(),
    observations: wholeNumber(0).meta({ description: 'Observations logged on the plan.' }),
    byTag: counts('by tag (an observation with two tags counts under both)'),
    byWeekday: counts('by the weekday it happened'),
    byPartOfDay: counts(
      'by part of the school day (before school, morning from 08:45, lunchtime from 12:00, afternoon from 13:15, after school from 15:30), where the time was noted',
    ),
  })
  .meta({
    id: 'ObservationPatterns',
    example: {
      planId: '0b7e6f0e-3c1e-4c56-9a43-5a0f3f1c2d01',
      observations: 5,
      byTag: { trigger: 3, lesson: 2, somatic: 1 },
      byWeekday: { monday: 3, thursday: 2 },
      byPartOfDay: { morning: 1, afternoon: 3 },
    },
  });

const HabituationPoint = z.object({
  occurredOn: isoDate,
  anxietyBefore: z.number().nullable(),
  anxietyAfter: z.number().nullable(),
});

/** A plan's progress as plain figures, for an LA system to draw its own pictures. */
export const PlanProgress = z
  .object({
    planId: storedId(),
    steps: storedList(
      z.object({
        goalId: storedId(),
        stepId: storedId(),
        label: storedId(),
        state: StepState,
        habituation: storedList(HabituationPoint).meta({
          description: 'Anxiety before and after (0–10, null where not rated) of each attempt made, in order.',
        }),
        anxietyAfterSlope: z.number().nullable().meta({
          description:
            'Least-squares slope of anxiety after over the rated attempts, points per attempt, to 2 decimal places; null with fewer than 2 ratings.',
        }),
        anxietyAfterFalling: z
          .boolean()
          .nullable()
          .meta({ description: 'Whether anxiety after is falling (a negative slope), as habituation should.' }),
        agreedOn: isoDate,
        firstMasteredOn: isoDate.nullable(),
        daysFromAgreementToMastery: wholeNumber()
          .nullable()
          .meta({ description: 'Calendar days from agreement to first mastery.' }),
      }),
    ),
    masteredPerMonth: storedList(z.object({ month: storedId(), steps: wholeNumber(0) })).meta({
      description: 'Steps mastered for the first time in each month (YYYY-MM); months with none are left out.',
    }),
    observations: ObservationPatterns.omit({ planId: true }).meta({
      description: 'The observation patterns (`/observation-patterns`), kept by the projection worker a moment behind.',
    }),
  })
  .meta({
    id: 'PlanProgress',
    example: {
      planId: '0b7e6f0e-3c1e-4c56-9a43-5a0f3f1c2d01',
      steps: [
        {
          goalId: 'goal-1',
          stepId: 'step-1',
          label: '1',
          state: 'practising',
          habituation: [
            { occurredOn: '2026-10-05', anxietyBefore: 7, anxietyAfter: 5 },
            { occurredOn: '2026-10-07', anxietyBefore: 6, anxietyAfter: 4 },
            { occurredOn: '2026-10-12', anxietyBefore: 5, anxietyAfter: 3 },
          ],
          anxietyAfterSlope: -1,
          anxietyAfterFalling: true,
          agreedOn: '2026-09-28',
          firstMasteredOn: null,
          daysFromAgreementToMastery: null,
        },
      ],
      masteredPerMonth: [],
      observations: {
        observations: 5,
        byTag: { trigger: 3, lesson: 2, somatic: 1 },
        byWeekday: { monday: 3, thursday: 2 },
        byPartOfDay: { morning: 1, afternoon: 3 },
      },
    },
  });
