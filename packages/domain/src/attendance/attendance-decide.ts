import { academicYearOf, academicYearRange } from './academic-year.ts';
import { checkAttendanceCode } from './attendance-code-check.ts';
import type { AttendanceCode } from './attendance-codes.ts';
import { londonDateOf } from './attendance-dates.ts';
import {
  type AttendanceCorrected,
  type AttendanceEvent,
  type AttendanceMark,
  type AttendanceMarkInput,
  currentMarks,
  type RegisterRow,
  sessionKeyOf,
} from './attendance-marks.ts';

/** The rules a register row can break; each refusal names one. */
export const ATTENDANCE_RULES = {
  'attendance-code-known': 'The code is a register code in force since 19 August 2024.',
  'attendance-code-current': 'The code has been retired; the reason names the code to use instead.',
  'no-future-marks': 'A mark is for a session on or before today (the date in England).',
  'backdating-within-year': 'A mark may be backdated only within the current academic year (from 1 August).',
  'correction-needs-reason': 'Changing a recorded mark says why.',
} as const;

export type AttendanceRuleId = keyof typeof ATTENDANCE_RULES;

export type AttendanceRowOutcome =
  | { index: number; outcome: 'recorded' }
  | { index: number; outcome: 'corrected'; previousCode: AttendanceCode }
  | { index: number; outcome: 'unchanged' }
  | { index: number; outcome: 'rejected'; rule: AttendanceRuleId; reason: string };

export interface AttendanceBatchDecision {
  /**
   * Events to append. Per school and date (a day's register, one stream each): at most one
   * `AttendanceRecorded`, then one `AttendanceCorrected` per changed mark in row order.
   */
  events: AttendanceEvent[];
  /** One outcome per incoming row, in the same order. */
  rows: AttendanceRowOutcome[];
}

interface RegisterEvents {
  schoolUrn: string;
  date: string;
  /** The rows of the day's `AttendanceRecorded`, by pupil id. */
  recorded: Map<string, RegisterRow>;
  corrected: AttendanceCorrected[];
}

/**
 * Decides a batch of register marks against the marks already recorded (every version, in stream
 * order, e.g. from `attendanceMarksFrom`). Rows are decided in order, each seeing the rows accepted
 * before it. A row identical to the mark in force changes nothing, even outside the backdating
 * window, so re-sending a register is harmless. Weekend dates are accepted: some settings register
 * weekend provision.
 */
export const decideAttendanceMarks = (
  existingMarks: readonly AttendanceMark[],
  incoming: readonly AttendanceMarkInput[],
  context: { now: string },
): AttendanceBatchDecision => {
  const { now } = context;
  const today = londonDateOf(now);
  const earliest = academicYearRange(academicYearOf(today)).start;
  const current = currentMarks(existingMarks);
  const registers = new Map<string, RegisterEvents>();

  const registerOf = (schoolUrn: string, date: string): RegisterEvents => {
    const key = `${schoolUrn}|${date}`;
    const found = registers.get(key);
    if (found) return found;
    const created: RegisterEvents = { schoolUrn, date, recorded: new Map(), corrected: [] };
    registers.set(key, created);
    return created;
  };

  const decideRow = (row: AttendanceMarkInput, index: number): AttendanceRowOutcome => {
    const refuse = (rule: AttendanceRuleId, reason: string): AttendanceRowOutcome => ({
      index,
      outcome: 'rejected',
      rule,
      reason,
    });
    const check = checkAttendanceCode(row.code);
    if (!check.ok) return refuse(check.rule, check.message);

    const { pupilId, schoolUrn, date, session } = row;
    const code = check.info.code;
    const key = sessionKeyOf(row);
    const previous = current.get(key);
    if (previous?.code === code) return { index, outcome: 'unchanged' };
    if (date > today) return refuse('no-future-marks', `${date} is after today (${today}).`);
    if (date < earliest) {
      return refuse('backdating-within-year', `${date} is before this academic year, which began on ${earliest}.`);
    }

    const register = registerOf(schoolUrn, date);
    const mark: AttendanceMark = { pupilId, schoolUrn, date, session, code, recordedAt: now };
    if (!previous) {
      const registerRow = register.recorded.get(pupilId);
      if (registerRow) registerRow[session] = code;
      else register.recorded.set(pupilId, { [session]: code });
      current.set(key, mark);
      return { index, outcome: 'recorded' };
    }

    const reason = row.reason?.trim() ?? '';
    if (reason === '') {
      return refuse(
        'correction-needs-reason',
        `The ${session} session on ${date} is already ${previous.code}; say why it changes to ${code}.`,
      );
    }
    register.corrected.push({
      type: 'AttendanceCorrected',
      data: {
        pupilId,
        schoolUrn,
        date,
        session,
        academicYear: academicYearOf(date),
        recordedAt: now,
        code,
        previousCode: previous.code,
      },
      personal: { reason },
    });
    current.set(key, mark);
    return { index, outcome: 'corrected', previousCode: previous.code };
  };

  const rows = incoming.map(decideRow);
  const events = [...registers.values()].flatMap(({ schoolUrn, date, recorded, corrected }): AttendanceEvent[] => {
    if (recorded.size === 0) return corrected;
    // fromEntries defines each pupil id as an own key, whatever the id spells.
    const marks = Object.fromEntries(recorded);
    return [{ type: 'AttendanceRecorded', data: { schoolUrn, date, recordedAt: now, marks } }, ...corrected];
  });
  return { events, rows };
};
