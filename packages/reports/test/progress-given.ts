import type { AttendanceTrend, TrendMarker, WeeklyAttendance } from '@small-steps/domain';
import type { ProgressChartInput, StepAnxietySeries } from '../src/index.ts';

const rate = (attended: number, possible: number): number | null =>
  possible === 0 ? null : Math.round((1000 * attended) / possible) / 10;

/** A week of the trend; the rolling rate defaults to the week's own rate. */
export const week = (weekStart: string, attended: number, possible: number, rolling?: number): WeeklyAttendance => ({
  weekStart,
  possible,
  attended,
  rate: rate(attended, possible),
  rolling4WeekRate: rolling ?? rate(attended, possible),
});

/** An academic-year-2025 trend over the given weeks, with totals to match. */
export const trendOf = (weeks: WeeklyAttendance[], markers: TrendMarker[] = []): AttendanceTrend => {
  const possible = weeks.reduce((sum, w) => sum + w.possible, 0);
  const attended = weeks.reduce((sum, w) => sum + w.attended, 0);
  return {
    pupilId: '00000000-0000-4000-8000-0000000000a1',
    academicYear: 2025,
    from: '2025-08-01',
    to: '2026-07-31',
    asRecordedAt: null,
    totals: {
      possible,
      attended,
      authorisedAbsence: possible - attended,
      unauthorisedAbsence: 0,
      notCounted: 0,
      partTimeTimetable: 0,
      rate: rate(attended, possible),
      overallAbsence: possible === 0 ? null : 100 - rate(attended, possible)!,
    },
    rateExcludingPartTimeTimetable: rate(attended, possible),
    persistentAbsence: possible > 0 && (possible - attended) * 10 >= possible,
    severeAbsence: possible > 0 && (possible - attended) * 2 >= possible,
    weeks,
    rolling4WeekRate: weeks.at(-1)?.rolling4WeekRate ?? null,
    sincePlanOpened: null,
    markers,
  };
};

export const step = (
  stepNumber: number,
  attempts: [date: string, after: number | null][],
  extra: Partial<StepAnxietySeries> = {},
): StepAnxietySeries => ({
  stepNumber,
  description: `Step ${stepNumber} as agreed`,
  state: 'practising',
  attempts: attempts.map(([date, anxietyAfter]) => ({ date, anxietyBefore: null, anxietyAfter })),
  ...extra,
});

export const inputOf = (extra: Partial<ProgressChartInput> = {}): ProgressChartInput => ({
  title: 'Progress picture',
  generatedOn: '2025-10-01',
  trend: trendOf([]),
  steps: [],
  ...extra,
});
