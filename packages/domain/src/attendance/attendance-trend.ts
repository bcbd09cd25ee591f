import { academicYearRange } from './academic-year.ts';
import { type AttendanceCodeInfo, type AttendanceCountsAs, attendanceCodeInfo } from './attendance-codes.ts';
import { instantMs, weekStartOf } from './attendance-dates.ts';
import {
  type AttendanceFigures,
  figuresOf,
  isPersistentlyAbsent,
  isSeverelyAbsent,
  rateOf,
} from './attendance-figures.ts';
import { type AttendanceMark, currentMarks, type Session } from './attendance-marks.ts';

/** Something laid over the trend, e.g. a plan's events (opened, step mastered, review held). */
export interface TrendMarker {
  date: string;
  kind: string;
  label: string;
}

export interface PeriodAttendance {
  possible: number;
  attended: number;
  rate: number | null;
}

export interface WeeklyAttendance extends PeriodAttendance {
  /** The Monday of the ISO week. */
  weekStart: string;
  /** Over this week and the weeks before it, counting only the last 4 weeks that had possible sessions. */
  rolling4WeekRate: number | null;
}

export interface MonthlyAttendance extends PeriodAttendance {
  /** YYYY-MM */
  month: string;
}

export interface AttendanceTrendInput {
  pupilId: string;
  /** Every recorded version of the pupil's marks, in stream order (`attendanceMarksFrom`). */
  marks: readonly AttendanceMark[];
  /** Academic year, named by the calendar year it starts in. */
  year: number;
  /** Admission to the school: the year counts from the later of this and 1 August. */
  admissionDate?: string;
  /** Count only what had been recorded by this instant: the register as it stood then. */
  asRecordedAt?: string;
  /** When the plan opened: the trend then compares the rate before it with each month since. */
  planOpenedOn?: string;
  planEvents?: readonly TrendMarker[];
}

export interface AttendanceTrend {
  pupilId: string;
  academicYear: number;
  /** First day counted: the later of 1 August and the admission date. */
  from: string;
  /** Last day of the academic year. */
  to: string;
  asRecordedAt: string | null;
  totals: AttendanceFigures;
  /** Attended ÷ (possible − C2): the rate over the sessions a part-time timetable expected. */
  rateExcludingPartTimeTimetable: number | null;
  persistentAbsence: boolean;
  severeAbsence: boolean;
  weeks: WeeklyAttendance[];
  /** The latest week's rolling 4-week rate. */
  rolling4WeekRate: number | null;
  sincePlanOpened: { openedOn: string; before: PeriodAttendance; months: MonthlyAttendance[] } | null;
  markers: TrendMarker[];
}

interface CountedSession {
  date: string;
  session: Session;
  info: AttendanceCodeInfo;
}

const PREFERENCE: Record<AttendanceCountsAs, number> = {
  attendance: 0,
  authorised_absence: 1,
  unauthorised_absence: 2,
  not_counted: 3,
};

const inPupilsFavour = (a: AttendanceMark, b: AttendanceMark): number =>
  Number(a.code === 'D') - Number(b.code === 'D') ||
  PREFERENCE[attendanceCodeInfo(a.code).countsAs] - PREFERENCE[attendanceCodeInfo(b.code).countsAs] ||
  a.schoolUrn.localeCompare(b.schoolUrn);

/**
 * One mark per pupil session. A dual-registered pupil's session counts by the school where the
 * pupil was expected, the non-`D` mark; if both schools have a non-`D` mark, the one most in the
 * pupil's favour (attended, then authorised, then unauthorised), so a pupil present at either
 * school is present. A session only ever marked `D` is not counted.
 */
const countedSessions = (marks: Iterable<AttendanceMark>, from: string, to: string): CountedSession[] => {
  const bySession = new Map<string, AttendanceMark[]>();
  for (const mark of marks) {
    if (mark.date < from || mark.date > to) continue;
    const key = `${mark.date}|${mark.session}`;
    const candidates = bySession.get(key);
    if (candidates) candidates.push(mark);
    else bySession.set(key, [mark]);
  }
  const sessions = [...bySession.values()].map((candidates) => {
    const chosen = candidates.sort(inPupilsFavour)[0]!;
    return { date: chosen.date, session: chosen.session, info: attendanceCodeInfo(chosen.code) };
  });
  return sessions.sort((a, b) => a.date.localeCompare(b.date) || a.session.localeCompare(b.session));
};

const periodOf = (sessions: readonly CountedSession[]): PeriodAttendance => {
  const { possible, attended, rate } = figuresOf(sessions.map((s) => s.info));
  return { possible, attended, rate };
};

const groupBy = <K>(sessions: readonly CountedSession[], keyOf: (s: CountedSession) => K): Map<K, CountedSession[]> => {
  const groups = new Map<K, CountedSession[]>();
  for (const session of sessions) {
    const key = keyOf(session);
    const group = groups.get(key);
    if (group) group.push(session);
    else groups.set(key, [session]);
  }
  return groups;
};

/**
 * Weeks with at least one mark, in order. The rolling rate skips weeks without possible sessions
 * (holidays, closures), so its window spans 4 weeks of school without needing term dates.
 */
const weeksOf = (sessions: readonly CountedSession[]): WeeklyAttendance[] => {
  const window: PeriodAttendance[] = [];
  return [...groupBy(sessions, (s) => weekStartOf(s.date))].map(([weekStart, inWeek]) => {
    const week = periodOf(inWeek);
    if (week.possible > 0) window.push(week);
    const last4 = window.slice(-4);
    const rolling4WeekRate = rateOf(
      last4.reduce((sum, w) => sum + w.attended, 0),
      last4.reduce((sum, w) => sum + w.possible, 0),
    );
    return { weekStart, ...week, rolling4WeekRate };
  });
};

const sincePlanOpened = (sessions: readonly CountedSession[], openedOn: string) => ({
  openedOn,
  before: periodOf(sessions.filter((s) => s.date < openedOn)),
  months: [
    ...groupBy(
      sessions.filter((s) => s.date >= openedOn),
      (s) => s.date.slice(0, 7),
    ),
  ].map(([month, inMonth]) => ({ month, ...periodOf(inMonth) })),
});

/**
 * A pupil's attendance for one academic year, year to date: totals, persistent and severe
 * absence, weekly and rolling rates, `C2` apart, and the rate before a plan against each month since.
 */
export const attendanceTrend = (input: AttendanceTrendInput): AttendanceTrend => {
  const { start, end } = academicYearRange(input.year);
  const from = input.admissionDate !== undefined && input.admissionDate > start ? input.admissionDate : start;
  const cutoff = input.asRecordedAt === undefined ? undefined : instantMs(input.asRecordedAt);
  const known = input.marks.filter(
    (m) => m.pupilId === input.pupilId && (cutoff === undefined || instantMs(m.recordedAt) <= cutoff),
  );
  const sessions = countedSessions(currentMarks(known).values(), from, end);
  const totals = figuresOf(sessions.map((s) => s.info));
  const weeks = weeksOf(sessions);
  return {
    pupilId: input.pupilId,
    academicYear: input.year,
    from,
    to: end,
    asRecordedAt: input.asRecordedAt ?? null,
    totals,
    rateExcludingPartTimeTimetable: rateOf(totals.attended, totals.possible - totals.partTimeTimetable),
    persistentAbsence: isPersistentlyAbsent(totals),
    severeAbsence: isSeverelyAbsent(totals),
    weeks,
    rolling4WeekRate: weeks.at(-1)?.rolling4WeekRate ?? null,
    sincePlanOpened: input.planOpenedOn === undefined ? null : sincePlanOpened(sessions, input.planOpenedOn),
    markers: (input.planEvents ?? [])
      .filter((m) => m.date >= start && m.date <= end)
      .sort((a, b) => a.date.localeCompare(b.date)),
  };
};
