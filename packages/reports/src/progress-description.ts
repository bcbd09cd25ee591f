import type { AttendanceTrend, TrendMarker } from '@small-steps/domain';
import type { StepAnxietySeries } from './progress-chart-input.ts';
import { dayNumber, shortDate } from './report-dates.ts';

const percent = (rate: number): string => `${rate}%`;

const attendanceSentence = (trend: AttendanceTrend): string => {
  const rated = trend.weeks.filter((w) => w.rate !== null);
  const first = rated[0];
  const last = rated.at(-1);
  if (first === undefined || last === undefined || trend.totals.rate === null) {
    return 'No attendance has been recorded for this school year yet.';
  }
  const rolling =
    trend.rolling4WeekRate === null ? '' : ` The average of the last 4 weeks is ${percent(trend.rolling4WeekRate)}.`;
  return (
    `Attendance over ${rated.length} weeks: ${percent(first.rate!)} in the week of ${shortDate(dayNumber(first.weekStart))}, ` +
    `${percent(last.rate!)} in the week of ${shortDate(dayNumber(last.weekStart))}, ` +
    `${percent(trend.totals.rate)} so far this year.${rolling} Below 90% counts as persistent absence.`
  );
};

const stepSentence = (step: StepAnxietySeries): string => {
  const ratings = step.attempts.flatMap((a) => (a.anxietyAfter === null ? [] : [a.anxietyAfter]));
  const first = ratings[0];
  const last = ratings.at(-1);
  if (first === undefined || last === undefined) return `Step ${step.stepNumber}: no rated attempts.`;
  return ratings.length === 1
    ? `Step ${step.stepNumber}: anxiety ${first} after its one rated attempt.`
    : `Step ${step.stepNumber}: anxiety after went from ${first} to ${last} over ${ratings.length} rated attempts.`;
};

/** The picture in words, for the SVG's `<desc>`: what a screen reader says instead of the chart. */
export const describeProgress = (
  trend: AttendanceTrend,
  markers: readonly TrendMarker[],
  steps: readonly StepAnxietySeries[],
): string => {
  const events =
    markers.length === 0
      ? 'No plan events yet.'
      : `Plan events: ${markers.map((m) => `${shortDate(dayNumber(m.date))} ${m.label}`).join('; ')}.`;
  const anxiety =
    steps.length === 0
      ? 'No steps agreed yet.'
      : `Anxiety after each attempt, 0 to 10, lower is better. ${steps.map(stepSentence).join(' ')}`;
  return [attendanceSentence(trend), events, anxiety].join(' ');
};
