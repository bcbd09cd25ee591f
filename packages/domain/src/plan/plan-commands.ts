import type { IsoDate } from '../calendar/index.ts';
import type * as E from './plan-events.ts';
import type { ParentAgreement } from './plan-values.ts';

/**
 * Who asks, and when. `now` is the instant the command arrived (ISO 8601); `occurredOn` is the
 * date the fact happened when it is not today in England (backdating). The domain reads no clock.
 */
export interface CommandMetadata {
  actor: { id: string; role: string; tenant: string };
  now: string;
  occurredOn?: IsoDate;
}

type Command<T extends string, D> = { type: T; data: D; metadata: CommandMetadata };

/** What a command says: its event's payload without the date, which comes from the metadata. */
type Facts<F extends E.PlanEvent> = Omit<F['data'], 'occurredOn'>;

export type OpenPlan = Command<'OpenPlan', Facts<E.PlanOpened>>;
export type RecordView = Command<'RecordView', Facts<E.ViewRecorded>>;
export type RecordGroundwork = Command<'RecordGroundwork', Facts<E.GroundworkRecorded>>;
export type WaiveGroundwork = Command<'WaiveGroundwork', Facts<E.GroundworkWaived>>;
export type IdentifyBarrier = Command<'IdentifyBarrier', Facts<E.BarrierIdentified>>;
export type PutAdjustmentInPlace = Command<'PutAdjustmentInPlace', Facts<E.AdjustmentPutInPlace>>;
export type AddressBarrier = Command<'AddressBarrier', Facts<E.BarrierAddressed>>;
export type ExcludeSituation = Command<'ExcludeSituation', Facts<E.SituationExcluded>>;
export type AssignKeyAdult = Command<'AssignKeyAdult', Facts<E.KeyAdultAssigned>>;
export type TeachCopingStrategy = Command<'TeachCopingStrategy', Facts<E.CopingStrategyTaught>>;
export type InvolveExternalAgency = Command<'InvolveExternalAgency', Facts<E.ExternalAgencyInvolved>>;
export type ArrangeProvision = Command<'ArrangeProvision', Facts<E.ProvisionArranged>>;
export type EndProvision = Command<'EndProvision', Facts<E.ProvisionEnded>>;
export type JoinSetting = Command<'JoinSetting', Facts<E.SettingJoined>>;
export type LeaveSetting = Command<'LeaveSetting', Facts<E.SettingLeft>>;
export type AssignCaseOfficer = Command<'AssignCaseOfficer', Facts<E.CaseOfficerAssigned>>;
export type AgreeGoal = Command<'AgreeGoal', Facts<E.GoalAgreed>>;
/** The first agreement of a plan makes it active; a later one for the same goal adds steps after the most difficult one. */
export type AgreeSteps = Command<'AgreeSteps', Facts<E.StepsAgreed>>;
export type StartStep = Command<'StartStep', Facts<E.StepStarted>>;
export type RecordAttempt = Command<'RecordAttempt', Facts<E.StepAttempted>>;
/** `pupilConfirmed`: the pupil said they feel comfortable with the step. */
export type MasterStep = Command<'MasterStep', Facts<E.StepMastered> & { pupilConfirmed: boolean }>;
export type SplitStep = Command<'SplitStep', Facts<E.StepSplit>>;
export type WithdrawStep = Command<'WithdrawStep', Facts<E.StepWithdrawn>>;
export type RevisitStep = Command<'RevisitStep', Facts<E.StepRevisited>>;
export type HoldReview = Command<'HoldReview', Facts<E.ReviewHeld>>;
export type CelebrateAchievement = Command<'CelebrateAchievement', Facts<E.AchievementCelebrated>>;
export type RecordFamilyContact = Command<'RecordFamilyContact', Facts<E.FamilyContactRecorded>>;
export type LogObservation = Command<'LogObservation', Facts<E.ObservationLogged>>;
export type RecordSafeguardingReferral = Command<'RecordSafeguardingReferral', Facts<E.SafeguardingReferralMade>>;
export type PausePlan = Command<'PausePlan', Facts<E.PlanPaused>>;
export type ResumePlan = Command<'ResumePlan', Facts<E.PlanResumed>>;
export type RecordGoalAchieved = Command<'RecordGoalAchieved', Facts<E.GoalAchieved>>;
export type ClosePlan = Command<'ClosePlan', Facts<E.PlanClosed>>;
export type RecordFollowUp = Command<'RecordFollowUp', Facts<E.FollowUpRecorded>>;
/**
 * What the caller asked for, before the rules: any `reason` (only `reintegration` and `medical` are
 * accepted), and a missing end date or parent agreement, so that each is refused with its own rule.
 */
export type AgreePartTimeTimetable = Command<
  'AgreePartTimeTimetable',
  Omit<Facts<E.PartTimeTimetableAgreed>, 'reason' | 'endsOn' | 'parentAgreement' | 'reviewDueBy'> & {
    reason: string;
    endsOn: IsoDate | null;
    parentAgreement: ParentAgreement | null;
  }
>;
export type EndPartTimeTimetable = Command<'EndPartTimeTimetable', Facts<E.PartTimeTimetableEnded>>;

export type PlanCommand =
  | OpenPlan
  | RecordView
  | RecordGroundwork
  | WaiveGroundwork
  | IdentifyBarrier
  | PutAdjustmentInPlace
  | AddressBarrier
  | ExcludeSituation
  | AssignKeyAdult
  | TeachCopingStrategy
  | InvolveExternalAgency
  | ArrangeProvision
  | EndProvision
  | JoinSetting
  | LeaveSetting
  | AssignCaseOfficer
  | AgreeGoal
  | AgreeSteps
  | StartStep
  | RecordAttempt
  | MasterStep
  | SplitStep
  | WithdrawStep
  | RevisitStep
  | HoldReview
  | CelebrateAchievement
  | RecordFamilyContact
  | LogObservation
  | RecordSafeguardingReferral
  | PausePlan
  | ResumePlan
  | RecordGoalAchieved
  | ClosePlan
  | RecordFollowUp
  | AgreePartTimeTimetable
  | EndPartTimeTimetable;

export type PlanCommandType = PlanCommand['type'];
