import { type AttendanceCode, type RegisterRow, SESSIONS, type Session } from '@small-steps/domain';
import type { StoredPayload } from './stored-payload.ts';
import type { Upcaster } from './upcaster-registry.ts';

interface MarkV1 {
  schoolUrn: string;
  date: string;
  session: Session;
  code: string;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isMarkV1 = (mark: unknown): mark is MarkV1 =>
  isRecord(mark) &&
  typeof mark.schoolUrn === 'string' &&
  typeof mark.date === 'string' &&
  (SESSIONS as readonly unknown[]).includes(mark.session) &&
  typeof mark.code === 'string';

/**
 * The shape only, not the version-1 contract: a code retired since it was written must still read.
 * A payload without it is a broken store, which reading must not hide.
 */
function readV1(data: Record<string, unknown>): { pupilId: string; recordedAt: string; marks: MarkV1[] } {
  const { pupilId, recordedAt, marks } = data;
  if (typeof pupilId !== 'string' || typeof recordedAt !== 'string' || !Array.isArray(marks)) {
    throw new Error('AttendanceRecorded version 1 has no pupilId, recordedAt or marks list');
  }
  const bad = marks.findIndex((mark) => !isMarkV1(mark));
  if (bad !== -1) throw new Error(`AttendanceRecorded version 1 has a malformed mark at marks[${bad}]`);
  return { pupilId, recordedAt, marks: marks as MarkV1[] };
}

/**
 * `AttendanceRecorded` version 1 (one pupil's marks across dates and schools, in a stream per pupil
 * and year) as version 2: one event per school and date it covers, in date then school order, each
 * with that pupil's row. Two marks for one session (never written) leave the later one.
 */
export const upcastAttendanceRecordedV1: Upcaster = (stored) => {
  const { pupilId, recordedAt, marks } = readV1(stored.data);
  const registers = new Map<string, { schoolUrn: string; date: string; row: RegisterRow }>();
  for (const { schoolUrn, date, session, code } of marks) {
    const key = `${date}|${schoolUrn}`;
    let register = registers.get(key);
    if (register === undefined) {
      register = { schoolUrn, date, row: {} };
      registers.set(key, register);
    }
    register.row[session] = code as AttendanceCode;
  }
  const byDateThenSchool = (a: { date: string; schoolUrn: string }, b: { date: string; schoolUrn: string }) =>
    a.date < b.date ? -1 : a.date > b.date ? 1 : a.schoolUrn < b.schoolUrn ? -1 : a.schoolUrn > b.schoolUrn ? 1 : 0;
  return [...registers.values()].sort(byDateThenSchool).map(
    ({ schoolUrn, date, row }): StoredPayload => ({
      type: 'AttendanceRecorded',
      schemaVersion: 2,
      data: {
        schoolUrn,
        date,
        recordedAt,
        // Sessions in register order; fromEntries makes the pupil id an own key whatever it spells.
        marks: Object.fromEntries([
          [pupilId, Object.fromEntries(SESSIONS.flatMap((s) => (row[s] === undefined ? [] : [[s, row[s]]])))],
        ]),
      },
      personal: null,
    }),
  );
};
