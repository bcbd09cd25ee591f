import type { AttendanceCodeInfo } from './attendance-codes.ts';

/** Session counts for a period. Every session falls in exactly one of the first five. */
export interface AttendanceFigures {
  possible: number;
  attended: number;
  authorisedAbsence: number;
  unauthorisedAbsence: number;
  /** Sessions whose code is not a possible session (X, Q, Y1–Y7, D, Z, #). */
  notCounted: number;
  /** `C2` sessions: counted in `possible` and `authorisedAbsence`, and shown apart here. */
  partTimeTimetable: number;
  /** Attended ÷ possible × 100, to 1 decimal place (see `rateOf`); null with no possible sessions. */
  rate: number | null;
  /** 100 − rate, so the two always add up to 100. */
  overallAbsence: number | null;
}

/**
 * A percentage to 1 decimal place, rounding halves up, computed on whole numbers so that no
 * floating-point error can tip a boundary: 1 of 8 is 12.5, 1 of 3 is 33.3, 2 of 3 is 66.7.
 */
export const rateOf = (attended: number, possible: number): number | null => {
  const tenths = tenthsOf(attended, possible);
  return tenths === null ? null : tenths / 10;
};

const tenthsOf = (attended: number, possible: number): number | null =>
  possible === 0 ? null : Math.floor((2000 * attended + possible) / (2 * possible));

export const figuresOf = (sessions: readonly AttendanceCodeInfo[]): AttendanceFigures => {
  let possible = 0;
  let attended = 0;
  let authorisedAbsence = 0;
  let unauthorisedAbsence = 0;
  let partTimeTimetable = 0;
  for (const info of sessions) {
    if (info.isPossibleSession) possible++;
    if (info.countsAs === 'attendance') attended++;
    if (info.countsAs === 'authorised_absence') authorisedAbsence++;
    if (info.countsAs === 'unauthorised_absence') unauthorisedAbsence++;
    if (info.code === 'C2') partTimeTimetable++;
  }
  const tenths = tenthsOf(attended, possible);
  return {
    possible,
    attended,
    authorisedAbsence,
    unauthorisedAbsence,
    notCounted: sessions.length - possible,
    partTimeTimetable,
    rate: tenths === null ? null : tenths / 10,
    overallAbsence: tenths === null ? null : (1000 - tenths) / 10,
  };
};

/** Missed 10 % or more of possible sessions, on exact counts (exactly 10 % is persistent). */
export const isPersistentlyAbsent = ({ possible, attended }: AttendanceFigures): boolean =>
  possible > 0 && (possible - attended) * 10 >= possible;

/** Missed 50 % or more of possible sessions, on exact counts (exactly 50 % is severe). */
export const isSeverelyAbsent = ({ possible, attended }: Pick<AttendanceFigures, 'possible' | 'attended'>): boolean =>
  possible > 0 && (possible - attended) * 2 >= possible;
