import type { Plan } from '@small-steps/contracts';
import { academicYearRange, type Principal, type StepStatus, type TrendMarker } from '@small-steps/domain';
import type { PlanReads } from '../plans/plan-reads.ts';

/** A step's anxiety ratings over its attempts, as the progress picture draws them. */
export interface StepAnxietySeries {
  stepNumber: number;
  description: string;
  state: StepStatus;
  attempts: { date: string; anxietyBefore: number | null; anxietyAfter: number | null }[];
}

/** What of a pupil's plan is laid over the attendance trend and drawn beside it. */
export interface PlanOverlay {
  planId: string;
  openedOn: string;
  markers: TrendMarker[];
  steps: StepAnxietySeries[];
}

const PAGE = 200;

const overlapsYear = (plan: Plan, start: string, end: string): boolean =>
  plan.openedOn <= end && (plan.closure === null || plan.closure.occurredOn >= start);

/** A step's label as the number the picture shows: `3` or `3.2`, else its place in the ladder. */
const stepNumberOf = (label: string, place: number): number => {
  const number = Number(label);
  return String(number) === label ? number : place;
};

/**
 * The pupil's plan for an academic year (the latest opened that ran in it), read through PlanReads
 * so the caller sees only plans their school takes part in; `asOf` reads it as it stood then.
 */
export class PlanOverlays {
  readonly #plans: PlanReads;

  constructor(plans: PlanReads) {
    this.#plans = plans;
  }

  async forPupil(principal: Principal, pupilId: string, year: number, today: string, asOf?: Date) {
    const { start, end } = academicYearRange(year);
    const candidates: Plan[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.#plans.list(principal, { pupilId }, { limit: PAGE, ...(cursor ? { cursor } : {}) });
      candidates.push(...page.items.filter((plan) => overlapsYear(plan, start, end)));
      cursor = page.next ?? undefined;
    } while (cursor !== undefined);
    const latest = candidates.sort((a, b) => b.openedOn.localeCompare(a.openedOn))[0];
    if (latest === undefined) return null;
    const plan = asOf === undefined ? latest : await this.#plans.asOf(principal, latest.planId, asOf);
    if (plan === undefined) return null;
    const reviews = await this.#reviewDates(principal, plan.planId, asOf);
    return overlayOf(plan, reviews, today);
  }

  async #reviewDates(principal: Principal, planId: string, asOf?: Date): Promise<string[]> {
    const dates: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.#plans.history(principal, planId, { limit: PAGE, ...(cursor ? { cursor } : {}) });
      if (page === undefined) return dates;
      for (const event of page.items) {
        if (asOf !== undefined && Date.parse(event.recordedAt) > asOf.getTime()) continue;
        if (event.type === 'ReviewHeld') dates.push(event.occurredOn);
      }
      cursor = page.next ?? undefined;
    } while (cursor !== undefined);
    return dates;
  }
}

function overlayOf(plan: Plan, reviews: readonly string[], today: string): PlanOverlay {
  const markers: TrendMarker[] = [{ date: plan.openedOn, kind: 'plan_opened', label: 'Plan opened' }];
  const steps: StepAnxietySeries[] = [];
  const isOneLadder = plan.goals.length === 1;
  for (const goal of plan.goals) {
    for (const step of goal.ladder) {
      const stepNumber = isOneLadder ? stepNumberOf(step.label, steps.length + 1) : steps.length + 1;
      // The step legend below the chart carries the description: a label this short is never cut off.
      for (const date of step.masteredOn)
        markers.push({ date, kind: 'step_mastered', label: `Step ${stepNumber} mastered` });
      steps.push({
        stepNumber,
        description: step.description,
        state: step.state,
        attempts: step.habituation.map((point) => ({
          date: point.occurredOn,
          anxietyBefore: point.anxietyBefore,
          anxietyAfter: point.anxietyAfter,
        })),
      });
    }
  }
  for (const date of reviews) markers.push({ date, kind: 'review_held', label: 'Review meeting' });
  for (const timetable of plan.partTimeTimetable.agreements) {
    markers.push({
      date: timetable.startsOn,
      kind: 'part_time_timetable_started',
      label: `Part-time timetable starts (${timetable.reason === 'medical' ? 'medical' : 'return to school'})`,
    });
    const endedOn = timetable.endedOn ?? timetable.endsOn;
    if (endedOn <= today)
      markers.push({ date: endedOn, kind: 'part_time_timetable_ended', label: 'Part-time timetable ends' });
  }
  if (plan.closure !== null) markers.push({ date: plan.closure.occurredOn, kind: 'plan_closed', label: 'Plan closed' });
  return { planId: plan.planId, openedOn: plan.openedOn, markers, steps };
}
