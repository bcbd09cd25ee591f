import type { StepAnxietySeries } from './progress-chart-input.ts';
import { dayNumber } from './report-dates.ts';

/** An attempt whose anxiety after was rated, placed on the time axis. */
export interface RatedPoint {
  /** The day number plus a fraction, so several attempts on one day sit side by side within it. */
  at: number;
  anxiety: number;
}

/** The rated attempts of a step in order; declined ratings are left out. */
export const ratedPoints = (step: StepAnxietySeries): RatedPoint[] => {
  const perDay = new Map<string, number>();
  for (const a of step.attempts) perDay.set(a.date, (perDay.get(a.date) ?? 0) + 1);
  const seen = new Map<string, number>();
  return step.attempts.flatMap((a) => {
    const k = seen.get(a.date) ?? 0;
    seen.set(a.date, k + 1);
    if (a.anxietyAfter === null) return [];
    const at = dayNumber(a.date) + (k + 0.5) / (perDay.get(a.date) ?? 1);
    return [{ at, anxiety: Math.min(10, Math.max(0, a.anxietyAfter)) }];
  });
};
