import type { AttendanceTrend, TrendMarker } from '@small-steps/domain';

/** One attempt at a step; either rating may be null because a pupil may decline to rate. */
export interface StepAttemptRating {
  /** YYYY-MM-DD */
  date: string;
  /** 0–10 */
  anxietyBefore: number | null;
  /** 0–10 */
  anxietyAfter: number | null;
}

/** A step of the ladder with its attempts in order: the habituation curve, which should fall. */
export interface StepAnxietySeries {
  stepNumber: number;
  /** A short description, as agreed; it is user text and is escaped when drawn. */
  description: string;
  /** The step's state (`agreed`, `practising`, `mastered`, `split`, `withdrawn`); other values are shown as given. */
  state: string;
  attempts: readonly StepAttemptRating[];
}

/** Everything the progress picture shows. It carries no pupil name unless the caller puts one in `subtitle`. */
export interface ProgressChartInput {
  title: string;
  subtitle?: string;
  /** YYYY-MM-DD: the day the picture was made. */
  generatedOn: string;
  trend: AttendanceTrend;
  /**
   * The plan's events to lay over the time axis; defaults to `trend.markers`. Kinds are free strings:
   * `plan_opened`, `step_mastered`, `review_held`, `part_time_timetable_started` and
   * `part_time_timetable_ended` get their own look, and any other kind a neutral one.
   */
  markers?: readonly TrendMarker[];
  steps: readonly StepAnxietySeries[];
}
