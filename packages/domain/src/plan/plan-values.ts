import type { IsoDate } from '../calendar/index.ts';

/** Who takes part in a plan (docs/domain.md §1). */
export const participantRoles = [
  'pupil',
  'parent_carer',
  'key_adult',
  'school_staff',
  'senco',
  'la_officer',
  'educational_psychologist',
  'camhs',
  'mhst',
  'ews',
  'other_professional',
] as const;
export type ParticipantRole = (typeof participantRoles)[number];

/** The roles that count as "a member of school staff" when an agreement lists its participants. */
export const schoolStaffRoles = ['school_staff', 'senco', 'key_adult'] as const satisfies readonly ParticipantRole[];

/** Someone who took part in an agreement, review or contact; `name` is personal data. */
export interface Participant {
  id: string;
  role: ParticipantRole;
  name?: string;
}

/** A named adult who holds a role on the plan (key adult, case officer); `name` is personal data. */
export interface NamedAdult {
  id: string;
  name: string;
}

/** The five things to understand before planning a return (seed 000). */
export const groundworkAreas = [
  'shared_narrative',
  'rapport',
  'preferred_future',
  'risk_and_protective_factors',
  'underpinning_factors',
] as const;
export type GroundworkArea = (typeof groundworkAreas)[number];

/** A structured assessment named by its framework (ATTEND or another the LA uses), with that framework's own fields. */
export interface StructuredAssessment {
  framework: string;
  fields: Readonly<Record<string, unknown>>;
}

export const barrierKinds = [
  'bullying',
  'sensory',
  'environment',
  'relationship',
  'learning',
  'health',
  'transport',
  'other',
] as const;
export type BarrierKind = (typeof barrierKinds)[number];

export const adjustmentKinds = [
  'reasonable_adjustment',
  'equipment',
  'management_technique',
  'reparation_work',
  'environment_change',
  'other',
] as const;
export type AdjustmentKind = (typeof adjustmentKinds)[number];

/** A setting that takes part in the plan: the pupil's school, alternative provision or a receiving school. */
export const settingKinds = ['school', 'alternative_provision', 'receiving_school'] as const;
export type SettingKind = (typeof settingKinds)[number];

/**
 * One rung of a ladder as agreed. `description`, `where`, `withWhom` and `supports` are free text.
 * `dependsOn` lists the barriers that must be addressed before the step is started or attempted.
 */
export interface StepTerms {
  stepId: string;
  description: string;
  where: string;
  withWhom: string;
  supports: string[];
  minutes: number;
  timesPerWeek: number;
  /** The pupil's predicted anxiety, 0–10. */
  predictedAnxiety: number;
  dependsOn: string[];
}

/** `not_attempted` is recorded but is not an attempt for mastery, stalling or practice counts. */
export const attemptOutcomes = ['completed', 'partly', 'stopped_early', 'not_attempted'] as const;
export type AttemptOutcome = (typeof attemptOutcomes)[number];

/** Who chose to stay longer than the agreed minutes. */
export const extenders = ['pupil', 'adult'] as const;
export type Extender = (typeof extenders)[number];

export const observationTags = [
  'trigger',
  'somatic',
  'time_of_day',
  'lesson',
  'location',
  'social',
  'sensory',
  'transition',
  'home',
  'other',
] as const;
export type ObservationTag = (typeof observationTags)[number];

export const contactChannels = ['phone', 'email', 'message', 'meeting', 'home_visit', 'letter', 'other'] as const;
export type ContactChannel = (typeof contactChannels)[number];

/** The only lawful reasons for a part-time timetable. */
export const timetableReasons = ['reintegration', 'medical'] as const;
export type TimetableReason = (typeof timetableReasons)[number];

/** The parent's or carer's own agreement to a part-time timetable. */
export interface ParentAgreement {
  /** A participant of the agreement whose role is `parent_carer`. */
  parentId: string;
  agreedOn: IsoDate;
}

export const planOutcomes = [
  'returned_full_time',
  'partial_return',
  'moved_school',
  'alternative_provision',
  'elective_home_education',
  'other',
] as const;
export type PlanOutcome = (typeof planOutcomes)[number];
