import type { RecordAttendanceMarksBody } from '@small-steps/contracts';
import {
  type AttendanceBatchDecision,
  type AttendanceMark,
  type AttendanceMarkInput,
  type AttendanceRuleId,
  decideAttendanceMarks,
  isOnRollOn,
  PUPIL_ON_ROLL_RULE,
} from '@small-steps/domain';
import type { PupilOnRoll } from '@small-steps/projections';
import type { FieldError } from '../commands/command-result.ts';
import { attendanceStreamId } from './attendance-streams.ts';

/** A row of the upload, naming a pupil the caller may mark, with its place in the body. */
export interface ResolvedRow extends AttendanceMarkInput {
  index: number;
}

/** Refusals of a row that are about the pupil rather than the mark. */
export const PUPIL_ROW_RULES = {
  'not-found':
    'The row names a pupil in your records (another LA’s pupils, and for school staff other schools’ pupils, are not).',
  [PUPIL_ON_ROLL_RULE.id]: PUPIL_ON_ROLL_RULE.reason,
} as const;

const FIELD_OF_RULE: Record<AttendanceRuleId, 'code' | 'date' | 'reason'> = {
  'attendance-code-known': 'code',
  'attendance-code-current': 'code',
  'no-future-marks': 'date',
  'backdating-within-year': 'date',
  'correction-needs-reason': 'reason',
};

const pointerOf = (index: number, field: string) => `/body/marks/${index}/${field}`;

/** Matches each row to a pupil found for the caller (by id or UPN) and on the school's roll that day. */
export function resolveRows(
  body: RecordAttendanceMarksBody,
  pupils: readonly PupilOnRoll[],
): { rows: ResolvedRow[]; errors: FieldError[] } {
  const byId = new Map(pupils.map((p) => [p.pupilId, p]));
  const byUpn = new Map(pupils.map((p) => [p.upn, p]));
  const rows: ResolvedRow[] = [];
  const errors: FieldError[] = [];
  body.marks.forEach((mark, index) => {
    const field = mark.pupilId === undefined ? 'upn' : 'pupilId';
    const pupil = mark.pupilId === undefined ? byUpn.get(mark.upn ?? '') : byId.get(mark.pupilId);
    if (pupil === undefined) {
      errors.push({ pointer: pointerOf(index, field), detail: 'no such pupil in your records', code: 'not-found' });
      return;
    }
    if (!isOnRollOn(pupil.enrolments, body.schoolUrn, mark.date)) {
      errors.push({
        pointer: pointerOf(index, field),
        detail: `the pupil is not on the roll of school ${body.schoolUrn} on ${mark.date}`,
        code: PUPIL_ON_ROLL_RULE.id,
      });
      return;
    }
    const reason = mark.reason ?? body.reason;
    rows.push({
      index,
      pupilId: pupil.pupilId,
      schoolUrn: body.schoolUrn,
      date: mark.date,
      session: mark.session,
      code: mark.code,
      ...(reason === undefined ? {} : { reason }),
    });
  });
  return { rows, errors };
}

/** The streams the rows may append to: one per school and date. */
export function streamsOf(tenant: string, rows: readonly ResolvedRow[]): string[] {
  // An upload holds one school and a few dates: build each stream id once, not once per row.
  const dates = new Map<string, Set<string>>();
  for (const row of rows) {
    const ofSchool = dates.get(row.schoolUrn);
    if (ofSchool) ofSchool.add(row.date);
    else dates.set(row.schoolUrn, new Set([row.date]));
  }
  return [...dates].flatMap(([schoolUrn, days]) =>
    [...days].map((date) => attendanceStreamId(tenant, schoolUrn, date)),
  );
}

/** The domain's decision on the rows, and every refused row as an error pointing at its field. */
export function decideRows(
  rows: readonly ResolvedRow[],
  existing: readonly AttendanceMark[],
  now: string,
): { decision: AttendanceBatchDecision; errors: FieldError[] } {
  const decision = decideAttendanceMarks(existing, rows, { now });
  const errors = decision.rows.flatMap((outcome): FieldError[] => {
    if (outcome.outcome !== 'rejected') return [];
    const index = rows[outcome.index]!.index;
    return [{ pointer: pointerOf(index, FIELD_OF_RULE[outcome.rule]), detail: outcome.reason, code: outcome.rule }];
  });
  return { decision, errors };
}
