export {
  addDays,
  dateInEngland,
  dayNumber,
  daysBetween,
  earlierOf,
  fromDayNumber,
  type IsoDate,
  isBackdated,
  isIsoDate,
  isoWeekday,
} from './calendar-date.ts';
export {
  defaultSchoolCalendar,
  SCHOOL_DAYS_PER_WEEK,
  type SchoolCalendar,
  schoolCalendar,
  type TermDates,
} from './school-calendar.ts';
