import { daysBetween, type IsoDate } from '../calendar/index.ts';
import type { StepStatus } from './plan-record.ts';
import type { HabituationPoint } from './plan-view.ts';

/** What progress figures read of a plan: its ladders, as the plan view has them. */
export interface PlanLadders {
  goals: readonly {
    goalId: string;
    ladder: readonly {
      stepId: string;
      label: string;
      state: StepStatus;
      agreedOn: IsoDate;
      masteredOn: readonly IsoDate[];
      habituation: readonly HabituationPoint[];
    }[];
  }[];
}

export interface StepProgress {
  goalId: string;
  stepId: string;
  label: string;
  state: StepStatus;
  /** Anxiety before and after each attempt made (not `not_attempted`), in order. */
  habituation: HabituationPoint[];
  /**
   * The trend of anxiety after, over the attempts where the pupil rated it: the least-squares slope
   * in points per attempt, to 2 decimal places; null with fewer than 2 ratings.
   */
  anxietyAfterSlope: number | null;
  /** Whether anxiety after is falling (a negative slope): what habituation should look like. */
  anxietyAfterFalling: boolean | null;
  agreedOn: IsoDate;
  firstMasteredOn: IsoDate | null;
  /** Calendar days from the step's agreement to its first mastery. */
  daysFromAgreementToMastery: number | null;
}

export interface PlanProgress {
  steps: StepProgress[];
  /** Steps mastered for the first time in each calendar month (YYYY-MM), in order; months with none are left out. */
  masteredPerMonth: { month: string; steps: number }[];
}

/** The least-squares slope of values over their order (0, 1, 2 …); null with fewer than 2. */
export function slopeOf(values: readonly number[]): number | null {
  const n = values.length;
  if (n < 2) return null;
  const meanX = (n - 1) / 2;
  const meanY = values.reduce((a, b) => a + b, 0) / n;
  let covariance = 0;
  let variance = 0;
  values.forEach((y, x) => {
    covariance += (x - meanX) * (y - meanY);
    variance += (x - meanX) ** 2;
  });
  return Math.round((covariance / variance) * 100) / 100;
}

/**
 * A plan's progress as figures (docs/domain.md §3 "Progress"): each step's habituation curve and
 * whether anxiety after is falling, the time from agreement to mastery, and steps mastered per month.
 */
export function planProgress(plan: PlanLadders): PlanProgress {
  const steps = plan.goals.flatMap((goal) =>
    goal.ladder.map((step): StepProgress => {
      const rated = step.habituation.flatMap((p) => (p.anxietyAfter === null ? [] : [p.anxietyAfter]));
      const slope = slopeOf(rated);
      const firstMasteredOn = [...step.masteredOn].sort()[0] ?? null;
      return {
        goalId: goal.goalId,
        stepId: step.stepId,
        label: step.label,
        state: step.state,
        habituation: [...step.habituation],
        anxietyAfterSlope: slope,
        anxietyAfterFalling: slope === null ? null : slope < 0,
        agreedOn: step.agreedOn,
        firstMasteredOn,
        daysFromAgreementToMastery: firstMasteredOn === null ? null : daysBetween(step.agreedOn, firstMasteredOn),
      };
    }),
  );
  const perMonth = new Map<string, number>();
  for (const step of steps) {
    if (step.firstMasteredOn === null) continue;
    const month = step.firstMasteredOn.slice(0, 7);
    perMonth.set(month, (perMonth.get(month) ?? 0) + 1);
  }
  return {
    steps,
    masteredPerMonth: [...perMonth]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([month, count]) => ({ month, steps: count })),
  };
}
