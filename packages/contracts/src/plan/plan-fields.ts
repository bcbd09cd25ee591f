import {
  adjustmentKinds,
  attemptOutcomes,
  barrierKinds,
  contactChannels,
  extenders,
  groundworkAreas,
  observationTags,
  participantRoles,
  planOutcomes,
  settingKinds,
  timetableReasons,
} from '@small-steps/domain';
import { z } from 'zod';
import { personal } from '../common/personal.ts';
import { isoDate, safeText } from '../common/safe-text.ts';

const ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/;
const idMessage = 'must be 1 to 100 letters, digits, ".", "_", ":" or "-", starting with a letter or digit';

/** An id the caller gives a barrier, goal, step or provision: it names one thing of its kind for the plan's life. */
export const itemId = z.string().regex(ID, { message: idMessage }).meta({ maxLength: 100 });
/** A person's id in the caller's own system (never a name). */
export const personId = z.string().regex(ID, { message: idMessage }).meta({ maxLength: 100 });

export const ParticipantRole = z.enum(participantRoles).meta({ id: 'ParticipantRole' });
export const GroundworkArea = z.enum(groundworkAreas).meta({ id: 'GroundworkArea' });
export const BarrierKind = z.enum(barrierKinds).meta({ id: 'BarrierKind' });
export const AdjustmentKind = z.enum(adjustmentKinds).meta({ id: 'AdjustmentKind' });
export const SettingKind = z.enum(settingKinds).meta({ id: 'SettingKind' });
export const AttemptOutcome = z.enum(attemptOutcomes).meta({
  id: 'AttemptOutcome',
  description: '`not_attempted` is recorded but does not count for mastery, stalling or practice.',
});
export const Extender = z
  .enum(extenders)
  .meta({ id: 'Extender', description: 'Who chose to stay longer than agreed.' });
export const ObservationTag = z.enum(observationTags).meta({ id: 'ObservationTag' });
export const ContactChannel = z.enum(contactChannels).meta({ id: 'ContactChannel' });
export const TimetableReason = z.enum(timetableReasons).meta({ id: 'TimetableReason' });
export const PlanOutcome = z.enum(planOutcomes).meta({ id: 'PlanOutcome' });

/** Free text of up to `max` characters, marked personal under the field's name. */
export const personalText = (name: string, max: number) => personal(name, safeText(max));

/** 0 (calm) to 10 (as anxious as can be), as the pupil rates it. */
export const anxiety = z.number().int().min(0).max(10);

const personName = personal('name', safeText(200));

export const Participant = z
  .strictObject({ id: personId, role: ParticipantRole, name: personName.optional() })
  .meta({ id: 'Participant', description: 'Someone who took part; `name` is personal data.' });

export const NamedAdult = z
  .strictObject({ id: personId, name: personName })
  .meta({ id: 'NamedAdult', description: 'An adult holding a role on the plan (key adult, case officer).' });

/** Who took part in an agreement: the pupil, a parent or carer and school staff (`agreement-needs-pupil`). */
export const participants = z.array(Participant).min(1).max(50);

const assessmentValue = z.union([
  safeText(10_000, 0),
  z.number(),
  z.boolean(),
  z.null(),
  z.array(safeText(2000, 0)).max(1000),
]);

export const StructuredAssessment = z
  .strictObject({
    framework: safeText(100).meta({ description: 'The framework it follows, e.g. `ATTEND`.' }),
    fields: z.record(safeText(100), assessmentValue).meta({ description: "The framework's own fields." }),
  })
  .meta({ id: 'StructuredAssessment' });

export const StepTerms = z
  .strictObject({
    stepId: itemId,
    description: personalText('description', 1000),
    where: personalText('where', 200),
    withWhom: personalText('withWhom', 200),
    supports: personal('supports', z.array(safeText(200)).max(20)),
    minutes: z.number().int().min(1).max(600).meta({ description: 'How long, in minutes.' }),
    timesPerWeek: z.number().int().min(1).max(35),
    predictedAnxiety: anxiety.meta({ description: "The pupil's predicted anxiety, 0–10." }),
    dependsOn: z.array(itemId).max(20).meta({ description: 'Barriers to address before it is started or attempted.' }),
  })
  .meta({ id: 'StepTerms', description: 'One rung of a ladder as agreed. An agreed step is never changed.' });

export const ParentAgreement = z
  .strictObject({
    parentId: personId.meta({ description: 'A participant of the agreement whose role is `parent_carer`.' }),
    agreedOn: isoDate,
  })
  .meta({ id: 'ParentAgreement' });

/**
 * The date a fact happened: optional in a command (today in England). How far back and forward it
 * may go are rules of the plan, decided against the command's arrival, so they are 422s, not 400s.
 */
export const occurredOn = isoDate.optional().meta({
  description:
    'When it happened (YYYY-MM-DD in England); today when absent. Backdating is allowed within the current academic year only, from 1 August (`backdating-within-year`), and never to a date after today (`no-future-dates`); the history marks a backdated fact `isBackdated`.',
});

/** `HH:MM`, for patterns by time of day. */
export const timeOfDay = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'must be a time as HH:MM' })
  .meta({ maxLength: 5 });
