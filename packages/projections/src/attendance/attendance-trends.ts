import type { Pupil } from '@small-steps/contracts';
import {
  type AttendanceTrend,
  academicYearOf,
  academicYearRange,
  attendanceTrend,
  dateInEngland,
} from '@small-steps/domain';
import { type AccessLog, type Reader, unrecorded } from '../access/access-log.ts';
import type { PupilReads } from '../pupils/pupil-reads.ts';
import type { AttendanceMarkReads } from './attendance-mark-reads.ts';
import type { PlanOverlay, PlanOverlays } from './plan-overlays.ts';

export interface TrendQuery {
  year?: number | undefined;
  asRecordedAt?: string | undefined;
}

/** A pupil's trend with what it was computed from: the pupil as read and the plan laid over it. */
export interface PupilTrend {
  pupil: Pupil;
  trend: AttendanceTrend;
  plan: PlanOverlay | null;
  today: string;
}

/** The first admission that the year counts from: the earliest enrolment that overlaps the year. */
const admissionIn = (pupil: Pupil, start: string, end: string): string | undefined =>
  pupil.enrolments
    .filter((e) => e.admissionDate <= end && (e.leavingDate === null || e.leavingDate >= start))
    .map((e) => e.admissionDate)
    .sort()[0];

/** Attendance trends per pupil and academic year, with the same visibility as the pupil. */
export class AttendanceTrends {
  readonly #pupils: PupilReads;
  readonly #marks: AttendanceMarkReads;
  readonly #plans: PlanOverlays;
  readonly #clock: () => Date;
  readonly #accessLog: AccessLog;

  constructor(
    pupils: PupilReads,
    marks: AttendanceMarkReads,
    plans: PlanOverlays,
    clock: () => Date,
    accessLog: AccessLog,
  ) {
    this.#pupils = pupils;
    this.#marks = marks;
    this.#plans = plans;
    this.#clock = clock;
    this.#accessLog = accessLog;
  }

  /** Undefined when the caller may not see the pupil (another LA's, or not on a school's roll). */
  async forPupil(reader: Reader, pupilId: string, query: TrendQuery): Promise<PupilTrend | undefined> {
    // The pupil and the plan are read for this one read, which is recorded once, below.
    const principal = unrecorded(reader);
    const pupil = await this.#pupils.get(principal, pupilId);
    if (pupil === undefined) return undefined;
    const today = dateInEngland(this.#clock().toISOString());
    const year = query.year ?? academicYearOf(today);
    const { asRecordedAt } = query;
    const asOf = asRecordedAt === undefined ? undefined : new Date(asRecordedAt);
    const [marks, plan] = await Promise.all([
      asRecordedAt === undefined
        ? this.#marks.inForceForYear(pupilId, year)
        : this.#marks.versionsForYear(pupilId, year),
      this.#plans.forPupil(principal, pupilId, year, today, asOf),
    ]);
    const { start, end } = academicYearRange(year);
    const admissionDate = admissionIn(pupil, start, end);
    const trend = attendanceTrend({
      pupilId,
      marks,
      year,
      ...(admissionDate === undefined ? {} : { admissionDate }),
      ...(asRecordedAt === undefined ? {} : { asRecordedAt }),
      ...(plan === null ? {} : { planOpenedOn: plan.openedOn, planEvents: plan.markers }),
    });
    await this.#accessLog.record(reader, [{ pupilId, ...(plan === null ? {} : { planId: plan.planId }) }]);
    return { pupil, trend, plan, today };
  }
}
