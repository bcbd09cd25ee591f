import {
  academicYearOf,
  academicYearRange,
  addDays,
  dateInEngland,
  daysBetween,
  type IsoDate,
} from '@small-steps/domain';

/**
 * Today in England by this machine's clock, which the service under test (in this process) reads
 * too. Journeys date their facts from it, so that they never fall out of the academic year.
 */
export const todayInEngland = (): IsoDate => dateInEngland(new Date().toISOString());

/** 1 August of the academic year that `date` falls in: the earliest date a fact may be backdated to. */
export const academicYearStart = (date: IsoDate): IsoDate => academicYearRange(academicYearOf(date)).start;

/** `days` days before `today`, but no earlier than 1 August of its academic year. */
export const daysBefore = (today: IsoDate, days: number): IsoDate =>
  addDays(today, -Math.min(days, daysBetween(academicYearStart(today), today)));

export { addDays, daysBetween };
