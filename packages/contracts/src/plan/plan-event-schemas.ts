import type { PlanEventType } from '@small-steps/domain';
import type { z } from 'zod';
import * as barriers from './plan-barrier-schemas.ts';
import * as gathering from './plan-gathering-schemas.ts';
import * as ladder from './plan-ladder-schemas.ts';
import * as lifecycle from './plan-lifecycle-schemas.ts';
import * as reviews from './plan-review-schemas.ts';

/**
 * The payload schema of every plan event at its current version (1). The one source of which
 * fields are personal: storage splits them into the event's `personal` part by these marks.
 */
export const planEventSchemas = {
  PlanOpened: gathering.PlanOpenedV1,
  ViewRecorded: gathering.ViewRecordedV1,
  GroundworkRecorded: gathering.GroundworkRecordedV1,
  GroundworkWaived: gathering.GroundworkWaivedV1,
  BarrierIdentified: barriers.BarrierIdentifiedV1,
  AdjustmentPutInPlace: barriers.AdjustmentPutInPlaceV1,
  BarrierAddressed: barriers.BarrierAddressedV1,
  SituationExcluded: barriers.SituationExcludedV1,
  KeyAdultAssigned: gathering.KeyAdultAssignedV1,
  CopingStrategyTaught: gathering.CopingStrategyTaughtV1,
  ExternalAgencyInvolved: gathering.ExternalAgencyInvolvedV1,
  ProvisionArranged: barriers.ProvisionArrangedV1,
  ProvisionEnded: barriers.ProvisionEndedV1,
  SettingJoined: gathering.SettingJoinedV1,
  SettingLeft: gathering.SettingLeftV1,
  CaseOfficerAssigned: gathering.CaseOfficerAssignedV1,
  GoalAgreed: ladder.GoalAgreedV1,
  StepsAgreed: ladder.StepsAgreedV1,
  PlanActivated: ladder.PlanActivatedV1,
  StepStarted: ladder.StepStartedV1,
  StepAttempted: ladder.StepAttemptedV1,
  StepMastered: ladder.StepMasteredV1,
  StepSplit: ladder.StepSplitV1,
  StepWithdrawn: ladder.StepWithdrawnV1,
  StepRevisited: ladder.StepRevisitedV1,
  ReviewHeld: reviews.ReviewHeldV1,
  AchievementCelebrated: reviews.AchievementCelebratedV1,
  FamilyContactRecorded: reviews.FamilyContactRecordedV1,
  ObservationLogged: reviews.ObservationLoggedV1,
  SafeguardingReferralMade: reviews.SafeguardingReferralMadeV1,
  PlanPaused: lifecycle.PlanPausedV1,
  PlanResumed: lifecycle.PlanResumedV1,
  GoalAchieved: lifecycle.GoalAchievedV1,
  PlanClosed: lifecycle.PlanClosedV1,
  FollowUpRecorded: lifecycle.FollowUpRecordedV1,
  PartTimeTimetableAgreed: lifecycle.PartTimeTimetableAgreedV1,
  PartTimeTimetableEnded: lifecycle.PartTimeTimetableEndedV1,
} as const satisfies Record<PlanEventType, z.ZodObject>;

/** The schema version plan events are written at. */
export const PLAN_EVENT_SCHEMA_VERSION = 1;
