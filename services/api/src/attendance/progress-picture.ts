import type { PupilTrend } from '@small-steps/projections';
import { renderProgressSvg } from '@small-steps/reports';

const YEAR_GROUP_WORDS: Record<string, string> = {
  N1: 'Nursery',
  N2: 'Nursery',
  R: 'Reception',
  X: 'No year group',
};

const yearGroupWords = (yearGroup: string): string => YEAR_GROUP_WORDS[yearGroup] ?? `Year ${yearGroup}`;

const longDate = (date: string): string =>
  new Date(`${date}T12:00:00Z`).toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });

/**
 * The progress picture for a review: weekly attendance with the plan's events, and each step's
 * anxiety after each attempt. It names no one: the subtitle gives the year group, not the pupil.
 */
export function progressPicture({ pupil, trend, plan, today }: PupilTrend): string {
  const year = trend.academicYear;
  const planWords =
    plan === null ? 'no support plan this school year' : `support plan opened ${longDate(plan.openedOn)}`;
  return renderProgressSvg({
    title: `School attendance and small steps, ${year} to ${year + 1}`,
    subtitle: `${yearGroupWords(pupil.yearGroup)} pupil · ${planWords}`,
    generatedOn: today,
    trend,
    steps: plan?.steps ?? [],
  });
}
