import type { IsoDate } from '../calendar/index.ts';
import type { AttemptLog } from './attempt-log.ts';
import type {
  AdjustmentKind,
  AttemptOutcome,
  BarrierKind,
  Extender,
  GroundworkArea,
  NamedAdult,
  ParticipantRole,
  SettingKind,
  StepTerms,
  TimetableReason,
} from './plan-values.ts';

export type StepStatus = 'agreed' | 'practising' | 'mastered' | 'split' | 'withdrawn';

export interface Attempt {
  occurredOn: IsoDate;
  outcome: AttemptOutcome;
  anxietyBefore: number | null;
  anxietyAfter: number | null;
  minutes: number | null;
  extendedBy: Extender | null;
  supportsUsed: string[];
  pupilWords: string | null;
  /** The practice round it belongs to: 1, then one more after each revisit. */
  round: number;
}

export interface Step extends StepTerms {
  goalId: string;
  /** `3`, or `3.2` for the second step that splitting step 3 made: stable, and how refusals name a step. */
  label: string;
  status: StepStatus;
  agreedOn: IsoDate;
  startedOn: IsoDate | null;
  /** Every date it was mastered. A step mastered once is never current again, even while revisited. */
  masteredOn: IsoDate[];
  round: number;
  revisitedOn: IsoDate | null;
  attempts: AttemptLog;
  splitFrom: string | null;
  splitInto: string[];
  withdrawal: { reason: string; occurredOn: IsoDate } | null;
}

export interface Goal {
  goalId: string;
  pupilWords: string;
  agreedOn: IsoDate;
  achievedOn: IsoDate | null;
  /** Step ids from the least to the most difficult; split and withdrawn steps keep their place. */
  ladder: string[];
}

export interface Barrier {
  barrierId: string;
  kind: BarrierKind;
  description: string;
  situations: string[];
  identifiedOn: IsoDate;
  adjustments: { kind: AdjustmentKind; description: string; occurredOn: IsoDate }[];
  status: 'open' | 'addressed' | 'excluded';
  addressedOn: IsoDate | null;
  /** `reviewOn: null` is permanent; otherwise the exclusion lapses on that date and the barrier is open again. */
  exclusion: { situation: string; reason: string; reviewOn: IsoDate | null; occurredOn: IsoDate } | null;
}

export interface Timetable {
  agreedOn: IsoDate;
  startsOn: IsoDate;
  endsOn: IsoDate;
  reason: TimetableReason;
  hoursPerWeek: number[];
  extensionReason: string | null;
  endedOn: IsoDate | null;
}

/** What every opened plan knows, whatever its status. */
export interface PlanRecord {
  planId: string;
  pupilId: string;
  schoolUrn: string;
  openedOn: IsoDate;
  presentingConcern: string;
  keyAdult: NamedAdult;
  caseOfficer: NamedAdult | null;
  settings: { urn: string; kind: SettingKind; joinedOn: IsoDate; leftOn: IsoDate | null }[];
  viewsFrom: ParticipantRole[];
  groundwork: Partial<Record<GroundworkArea, 'recorded' | 'waived'>>;
  barriers: Barrier[];
  provisions: { provisionId: string; provision: string; arrangedOn: IsoDate; endedOn: IsoDate | null }[];
  goals: Goal[];
  steps: Readonly<Record<string, Step>>;
  timetables: Timetable[];
  lastReviewOn: IsoDate | null;
  reviewDueBy: IsoDate | null;
  /** Attempts an adult extended beyond the agreed minutes since the last review (`agreed-step-stretched`). */
  stretched: { stepId: string; occurredOn: IsoDate }[];
}
