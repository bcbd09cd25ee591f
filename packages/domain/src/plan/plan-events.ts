import type { IsoDate } from '../calendar/index.ts';
import type {
  AdjustmentKind,
  AttemptOutcome,
  BarrierKind,
  ContactChannel,
  Extender,
  GroundworkArea,
  NamedAdult,
  ObservationTag,
  ParentAgreement,
  Participant,
  ParticipantRole,
  PlanOutcome,
  SettingKind,
  StepTerms,
  StructuredAssessment,
  TimetableReason,
} from './plan-values.ts';

/**
 * A plan event. Every payload says when the fact happened (`occurredOn`, a date in England); when
 * it was recorded, and by whom, travels in the stored event's metadata. Free text and names sit in
 * plainly named fields (`worries`, `summary`, `pupilWords`, `name` …) for the contracts layer to mark as personal.
 */
type Fact<T extends string, D> = { type: T; data: D & { occurredOn: IsoDate } };

export type PlanOpened = Fact<
  'PlanOpened',
  { planId: string; pupilId: string; schoolUrn: string; keyAdult: NamedAdult; presentingConcern: string }
>;
export type ViewRecorded = Fact<
  'ViewRecorded',
  {
    role: ParticipantRole;
    participantId: string | null;
    worries: string;
    whatHelps: string;
    hopes: string;
    /** A worry about the plan itself, e.g. that a return asks the child to drop their defences (seed 000). */
    concernsAboutPlan: string | null;
  }
>;
export type GroundworkRecorded = Fact<
  'GroundworkRecorded',
  { area: GroundworkArea; summary: string; assessment: StructuredAssessment | null }
>;
export type GroundworkWaived = Fact<
  'GroundworkWaived',
  { area: GroundworkArea; reason: string; waivedBy: NamedAdult & { role: ParticipantRole } }
>;
export type BarrierIdentified = Fact<
  'BarrierIdentified',
  { barrierId: string; kind: BarrierKind; description: string; situations: string[] }
>;
export type AdjustmentPutInPlace = Fact<
  'AdjustmentPutInPlace',
  { barrierId: string; kind: AdjustmentKind; description: string }
>;
export type BarrierAddressed = Fact<'BarrierAddressed', { barrierId: string; notes: string | null }>;
/** The requirement is removed instead of met; `reviewOn: null` means permanently. */
export type SituationExcluded = Fact<
  'SituationExcluded',
  { barrierId: string; situation: string; reason: string; reviewOn: IsoDate | null }
>;
export type KeyAdultAssigned = Fact<'KeyAdultAssigned', { keyAdult: NamedAdult }>;
export type CopingStrategyTaught = Fact<'CopingStrategyTaught', { strategy: string; notes: string | null }>;
export type ExternalAgencyInvolved = Fact<'ExternalAgencyInvolved', { agency: string; reason: string }>;
/** `provision` is a code from the provision catalogue. */
export type ProvisionArranged = Fact<
  'ProvisionArranged',
  { provisionId: string; provision: string; details: string | null }
>;
export type ProvisionEnded = Fact<'ProvisionEnded', { provisionId: string; reason: string | null }>;
export type SettingJoined = Fact<'SettingJoined', { urn: string; kind: SettingKind }>;
export type SettingLeft = Fact<'SettingLeft', { urn: string; reason: string | null }>;
export type CaseOfficerAssigned = Fact<'CaseOfficerAssigned', { officer: NamedAdult }>;

export type GoalAgreed = Fact<'GoalAgreed', { goalId: string; pupilWords: string; participants: Participant[] }>;
export type StepsAgreed = Fact<'StepsAgreed', { goalId: string; steps: StepTerms[]; participants: Participant[] }>;
/** Follows the first `StepsAgreed`; `reviewDueBy` is when the first review is due. */
export type PlanActivated = Fact<'PlanActivated', { reviewDueBy: IsoDate }>;

export type StepStarted = Fact<'StepStarted', { stepId: string }>;
export type StepAttempted = Fact<
  'StepAttempted',
  {
    stepId: string;
    outcome: AttemptOutcome;
    /** 0–10, null when the pupil declined to rate. */
    anxietyBefore: number | null;
    anxietyAfter: number | null;
    minutes: number | null;
    /** Who chose to stay longer than the agreed minutes; null when it was not longer. */
    extendedBy: Extender | null;
    supportsUsed: string[];
    pupilWords: string | null;
  }
>;
export type StepMastered = Fact<'StepMastered', { stepId: string; pupilWords: string | null }>;
/** The new steps take the split step's place in the ladder; the split step keeps its history. */
export type StepSplit = Fact<
  'StepSplit',
  { stepId: string; reason: string; steps: StepTerms[]; participants: Participant[] }
>;
export type StepWithdrawn = Fact<'StepWithdrawn', { stepId: string; reason: string; participants: Participant[] }>;
export type StepRevisited = Fact<'StepRevisited', { stepId: string; reason: string }>;

export type ReviewHeld = Fact<
  'ReviewHeld',
  {
    attendees: Participant[];
    /** The pupil's view was gathered for the review when they did not attend. */
    pupilViewGathered: boolean;
    /** A parent or carer was consulted when none attended. */
    parentConsulted: boolean;
    pupilVoice: string | null;
    parentVoice: string | null;
    progress: string;
    celebrated: string | null;
    decisions: string;
    nextReviewOn: IsoDate;
  }
>;
export type AchievementCelebrated = Fact<'AchievementCelebrated', { what: string }>;
export type FamilyContactRecorded = Fact<
  'FamilyContactRecorded',
  { channel: ContactChannel; by: Participant; summary: string | null }
>;
/** `time` is `HH:MM` when known, for patterns by time of day. */
export type ObservationLogged = Fact<
  'ObservationLogged',
  { what: string; tags: ObservationTag[]; time: string | null }
>;
/** That a concern went to the designated safeguarding lead: never the concern itself. */
export type SafeguardingReferralMade = Fact<'SafeguardingReferralMade', { referredBy: Participant }>;

export type PlanPaused = Fact<'PlanPaused', { reason: string }>;
export type PlanResumed = Fact<'PlanResumed', { reason: string }>;
export type GoalAchieved = Fact<'GoalAchieved', { goalId: string; pupilWords: string | null }>;
export type PlanClosed = Fact<'PlanClosed', { outcome: PlanOutcome; summary: string; followUpOn: IsoDate | null }>;
export type FollowUpRecorded = Fact<'FollowUpRecorded', { summary: string }>;

/**
 * A reduced timetable, `hoursPerWeek` giving each week's hours (a step-up schedule). An extension
 * is a new agreement with `extensionReason`. `reviewDueBy` is the review date while it runs.
 */
export type PartTimeTimetableAgreed = Fact<
  'PartTimeTimetableAgreed',
  {
    startsOn: IsoDate;
    endsOn: IsoDate;
    reason: TimetableReason;
    hoursPerWeek: number[];
    participants: Participant[];
    parentAgreement: ParentAgreement;
    extensionReason: string | null;
    reviewDueBy: IsoDate;
  }
>;
export type PartTimeTimetableEnded = Fact<'PartTimeTimetableEnded', { reason: string | null }>;

export type PlanEvent =
  | PlanOpened
  | ViewRecorded
  | GroundworkRecorded
  | GroundworkWaived
  | BarrierIdentified
  | AdjustmentPutInPlace
  | BarrierAddressed
  | SituationExcluded
  | KeyAdultAssigned
  | CopingStrategyTaught
  | ExternalAgencyInvolved
  | ProvisionArranged
  | ProvisionEnded
  | SettingJoined
  | SettingLeft
  | CaseOfficerAssigned
  | GoalAgreed
  | StepsAgreed
  | PlanActivated
  | StepStarted
  | StepAttempted
  | StepMastered
  | StepSplit
  | StepWithdrawn
  | StepRevisited
  | ReviewHeld
  | AchievementCelebrated
  | FamilyContactRecorded
  | ObservationLogged
  | SafeguardingReferralMade
  | PlanPaused
  | PlanResumed
  | GoalAchieved
  | PlanClosed
  | FollowUpRecorded
  | PartTimeTimetableAgreed
  | PartTimeTimetableEnded;

export type PlanEventType = PlanEvent['type'];

/** Every plan event type, in docs/domain.md's order. */
export const planEventTypes = [
  'PlanOpened',
  'ViewRecorded',
  'GroundworkRecorded',
  'GroundworkWaived',
  'BarrierIdentified',
  'AdjustmentPutInPlace',
  'BarrierAddressed',
  'SituationExcluded',
  'KeyAdultAssigned',
  'CopingStrategyTaught',
  'ExternalAgencyInvolved',
  'ProvisionArranged',
  'ProvisionEnded',
  'SettingJoined',
  'SettingLeft',
  'CaseOfficerAssigned',
  'GoalAgreed',
  'StepsAgreed',
  'PlanActivated',
  'StepStarted',
  'StepAttempted',
  'StepMastered',
  'StepSplit',
  'StepWithdrawn',
  'StepRevisited',
  'ReviewHeld',
  'AchievementCelebrated',
  'FamilyContactRecorded',
  'ObservationLogged',
  'SafeguardingReferralMade',
  'PlanPaused',
  'PlanResumed',
  'GoalAchieved',
  'PlanClosed',
  'FollowUpRecorded',
  'PartTimeTimetableAgreed',
  'PartTimeTimetableEnded',
] as const satisfies readonly PlanEventType[];
