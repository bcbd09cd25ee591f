import { attendanceMarksFrom } from '@small-steps/domain';
import { describe, expect, it } from 'vitest';
import { AttendanceRecordedV2, attendanceEventCodec, type StoredPayload } from '../../src/index.ts';
import { OTHER_SCHOOL, PUPIL, SCHOOL } from './event-samples.ts';

const recordedAt = '2024-10-16T15:30:00.000Z';

/** `AttendanceRecorded` as version 1 stored it: one pupil's marks of an upload, in the pupil's stream. */
const v1 = (marks: { schoolUrn: string; date: string; session: 'AM' | 'PM'; code: string }[]): StoredPayload => ({
  type: 'AttendanceRecorded',
  schemaVersion: 1,
  data: { pupilId: PUPIL, academicYear: 2024, recordedAt, marks },
  personal: null,
});

// A dual-registered pupil's week, sent out of order: two dates, two schools.
const spanning = v1([
  { schoolUrn: OTHER_SCHOOL, date: '2024-10-15', session: 'PM', code: 'B' },
  { schoolUrn: SCHOOL, date: '2024-10-15', session: 'AM', code: '/' },
  { schoolUrn: OTHER_SCHOOL, date: '2024-10-14', session: 'PM', code: 'D' },
  { schoolUrn: SCHOOL, date: '2024-10-14', session: 'PM', code: '\\' },
  { schoolUrn: SCHOOL, date: '2024-10-14', session: 'AM', code: '/' },
]);

describe('AttendanceRecorded version 1, read as version 2', () => {
  it('given a v1 event spanning two dates and two schools, when upcast, then it is four v2 events in date then school order', () => {
    const upcast = attendanceEventCodec.upcasters.upcast(spanning);
    expect(upcast).toStrictEqual([
      {
        type: 'AttendanceRecorded',
        schemaVersion: 2,
        data: { schoolUrn: SCHOOL, date: '2024-10-14', recordedAt, marks: { [PUPIL]: { AM: '/', PM: '\\' } } },
        personal: null,
      },
      {
        type: 'AttendanceRecorded',
        schemaVersion: 2,
        data: { schoolUrn: OTHER_SCHOOL, date: '2024-10-14', recordedAt, marks: { [PUPIL]: { PM: 'D' } } },
        personal: null,
      },
      {
        type: 'AttendanceRecorded',
        schemaVersion: 2,
        data: { schoolUrn: SCHOOL, date: '2024-10-15', recordedAt, marks: { [PUPIL]: { AM: '/' } } },
        personal: null,
      },
      {
        type: 'AttendanceRecorded',
        schemaVersion: 2,
        data: { schoolUrn: OTHER_SCHOOL, date: '2024-10-15', recordedAt, marks: { [PUPIL]: { PM: 'B' } } },
        personal: null,
      },
    ]);
    for (const event of upcast) expect(AttendanceRecordedV2.safeParse(event.data).error?.issues ?? []).toEqual([]);
  });

  it('given a v1 event, when decoded, then its domain events hold the same marks, each once', () => {
    const decoded = attendanceEventCodec.decode(spanning);
    expect(decoded.map((event) => event.type)).toEqual(Array(4).fill('AttendanceRecorded'));
    const marks = (spanning.data.marks as object[]).map((mark) => ({ pupilId: PUPIL, recordedAt, ...mark }));
    const order = (m: { date: string; schoolUrn: string; session: string }) => `${m.date}|${m.schoolUrn}|${m.session}`;
    const sorted = <T extends { date: string; schoolUrn: string; session: string }>(list: T[]) =>
      list.toSorted((a, b) => (order(a) < order(b) ? -1 : 1));
    expect(sorted(attendanceMarksFrom(decoded))).toEqual(sorted(marks as ReturnType<typeof attendanceMarksFrom>));
  });

  it('given a v1 event with two marks for one session, when upcast, then the later one wins', () => {
    const twice = v1([
      { schoolUrn: SCHOOL, date: '2024-10-14', session: 'AM', code: 'N' },
      { schoolUrn: SCHOOL, date: '2024-10-14', session: 'PM', code: '\\' },
      { schoolUrn: SCHOOL, date: '2024-10-14', session: 'AM', code: 'I' },
    ]);
    expect(attendanceEventCodec.decode(twice)).toEqual([
      {
        type: 'AttendanceRecorded',
        data: { schoolUrn: SCHOOL, date: '2024-10-14', recordedAt, marks: { [PUPIL]: { AM: 'I', PM: '\\' } } },
      },
    ]);
  });

  it('given a v1 event with a code since retired, when upcast, then it still reads', () => {
    const retired = v1([{ schoolUrn: SCHOOL, date: '2024-10-14', session: 'AM', code: 'X-retired' }]);
    expect(attendanceEventCodec.upcasters.upcast(retired)[0]!.data.marks).toEqual({ [PUPIL]: { AM: 'X-retired' } });
  });

  it('given a v1 event that is not the v1 shape, when upcast, then the error names the type, version and fault', () => {
    const broken = v1([{ schoolUrn: SCHOOL, date: '2024-10-14', session: 'EVENING' as 'AM', code: '/' }]);
    expect(() => attendanceEventCodec.decode(broken)).toThrow(
      'AttendanceRecorded version 1 has a malformed mark at marks[0]',
    );
  });

  it('given a v1 correction, when decoded, then it is read as it is: version 1 is current for corrections', () => {
    const corrected: StoredPayload = {
      type: 'AttendanceCorrected',
      schemaVersion: 1,
      data: {
        pupilId: PUPIL,
        schoolUrn: SCHOOL,
        date: '2024-10-14',
        session: 'AM',
        academicYear: 2024,
        recordedAt,
        code: 'I',
        previousCode: 'N',
      },
      personal: { reason: 'Parent rang.' },
    };
    expect(attendanceEventCodec.upcasters.upcast(corrected)).toEqual([corrected]);
    expect(attendanceEventCodec.decode(corrected)).toEqual([
      { type: 'AttendanceCorrected', data: corrected.data, personal: { reason: 'Parent rang.' } },
    ]);
  });
});
