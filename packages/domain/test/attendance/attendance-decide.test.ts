import { describe, expect, it } from 'vitest';
import { attendanceMarksFrom, decideAttendanceMarks } from '../../src/attendance/index.ts';
import { EARLIER, mark, NOW, OTHER_PUPIL, OTHER_SCHOOL, PUPIL, row, SCHOOL } from './attendance-given.ts';

const when = (
  existing: Parameters<typeof decideAttendanceMarks>[0],
  incoming: Parameters<typeof decideAttendanceMarks>[1],
  now = NOW,
) => decideAttendanceMarks(existing, incoming, { now });

describe('decideAttendanceMarks: new marks', () => {
  it('given no marks, when a day is registered, then one AttendanceRecorded holds both sessions', () => {
    const decision = when([], [row('2025-10-14', 'AM', '/'), row('2025-10-14', 'PM', '\\')]);
    expect(decision).toEqual({
      rows: [
        { index: 0, outcome: 'recorded' },
        { index: 1, outcome: 'recorded' },
      ],
      events: [
        {
          type: 'AttendanceRecorded',
          data: {
            schoolUrn: SCHOOL,
            date: '2025-10-14',
            recordedAt: NOW,
            marks: { [PUPIL]: { AM: '/', PM: '\\' } },
          },
        },
      ],
    });
  });

  it('given two pupils on one day, when registered, then one AttendanceRecorded holds both (the day’s register is one stream)', () => {
    const decision = when([], [row('2025-10-14', 'AM', '/'), row('2025-10-14', 'AM', 'I', { pupilId: OTHER_PUPIL })]);
    expect(decision.events).toEqual([
      {
        type: 'AttendanceRecorded',
        data: {
          schoolUrn: SCHOOL,
          date: '2025-10-14',
          recordedAt: NOW,
          marks: { [PUPIL]: { AM: '/' }, [OTHER_PUPIL]: { AM: 'I' } },
        },
      },
    ]);
  });

  it('given two days in one batch, when registered, then each day gets its own event (its own stream)', () => {
    const decision = when(
      [],
      [row('2025-10-13', 'AM', '/'), row('2025-10-14', 'AM', '/'), row('2025-10-13', 'PM', 'N')],
    );
    expect(
      decision.events.map((e) => [e.type, e.data.date, e.type === 'AttendanceRecorded' ? e.data.marks : null]),
    ).toEqual([
      ['AttendanceRecorded', '2025-10-13', { [PUPIL]: { AM: '/', PM: 'N' } }],
      ['AttendanceRecorded', '2025-10-14', { [PUPIL]: { AM: '/' } }],
    ]);
  });

  it('given a lower-case code, when registered, then the canonical code is recorded', () => {
    const decision = when([], [row('2025-10-14', 'AM', 'c2')]);
    expect(decision.events).toMatchObject([{ data: { marks: { [PUPIL]: { AM: 'C2' } } } }]);
  });

  it('given a Saturday, when a mark is registered, then it is accepted (weekend provision is registered in some settings)', () => {
    expect(when([], [row('2025-10-11', 'AM', 'B')]).rows).toEqual([{ index: 0, outcome: 'recorded' }]);
  });
});

describe('decideAttendanceMarks: repeats and corrections', () => {
  const existing = [mark('2025-10-14', 'AM', 'N')];

  it('given a recorded mark, when the same code is sent again, then nothing is recorded', () => {
    expect(when(existing, [row('2025-10-14', 'AM', 'N')])).toEqual({
      rows: [{ index: 0, outcome: 'unchanged' }],
      events: [],
    });
  });

  it('given a recorded mark, when another code is sent without a reason, then the row is rejected with correction-needs-reason', () => {
    const decision = when(existing, [row('2025-10-14', 'AM', 'I')]);
    expect(decision.rows).toMatchObject([{ index: 0, outcome: 'rejected', rule: 'correction-needs-reason' }]);
    expect(decision.events).toEqual([]);
  });

  it('given a recorded mark, when another code is sent with a blank reason, then the row is rejected with correction-needs-reason', () => {
    expect(when(existing, [row('2025-10-14', 'AM', 'I', { reason: '  ' })]).rows).toMatchObject([
      { outcome: 'rejected', rule: 'correction-needs-reason' },
    ]);
  });

  it('given a recorded mark, when another code is sent with a reason, then AttendanceCorrected keeps the old code and the reason apart', () => {
    const decision = when(existing, [row('2025-10-14', 'AM', 'I', { reason: 'Parent phoned: unwell' })]);
    expect(decision).toEqual({
      rows: [{ index: 0, outcome: 'corrected', previousCode: 'N' }],
      events: [
        {
          type: 'AttendanceCorrected',
          data: {
            pupilId: PUPIL,
            schoolUrn: SCHOOL,
            date: '2025-10-14',
            session: 'AM',
            academicYear: 2025,
            recordedAt: NOW,
            code: 'I',
            previousCode: 'N',
          },
          personal: { reason: 'Parent phoned: unwell' },
        },
      ],
    });
  });

  it('given a correction already recorded, when the corrected code is sent again, then nothing is recorded', () => {
    const corrected = [...existing, mark('2025-10-14', 'AM', 'I', { recordedAt: NOW })];
    expect(when(corrected, [row('2025-10-14', 'AM', 'I')]).rows).toEqual([{ index: 0, outcome: 'unchanged' }]);
  });

  it('given one session twice in a batch, when the second differs without a reason, then the first is recorded and the second rejected', () => {
    const decision = when([], [row('2025-10-14', 'AM', '/'), row('2025-10-14', 'AM', 'N')]);
    expect(decision.rows).toMatchObject([
      { outcome: 'recorded' },
      { outcome: 'rejected', rule: 'correction-needs-reason' },
    ]);
  });

  it('given a new mark and its correction in one batch, when decided, then the recording precedes the correction', () => {
    const decision = when(
      [],
      [row('2025-10-14', 'AM', '/'), row('2025-10-14', 'AM', 'L', { reason: 'Signed in late' })],
    );
    expect(decision.events.map((e) => e.type)).toEqual(['AttendanceRecorded', 'AttendanceCorrected']);
    expect(attendanceMarksFrom(decision.events).map((m) => m.code)).toEqual(['/', 'L']);
  });
});

describe('decideAttendanceMarks: dual registration', () => {
  it('given a mark at one school, when the other school marks D for the same session, then both marks stand', () => {
    const decision = when([mark('2025-10-14', 'AM', '/')], [row('2025-10-14', 'AM', 'D', { schoolUrn: OTHER_SCHOOL })]);
    expect(decision.rows).toEqual([{ index: 0, outcome: 'recorded' }]);
    expect(decision.events).toMatchObject([
      { type: 'AttendanceRecorded', data: { schoolUrn: OTHER_SCHOOL, marks: { [PUPIL]: { AM: 'D' } } } },
    ]);
  });
});

describe('decideAttendanceMarks: dates', () => {
  it('given a date after today, when registered, then the row is rejected with no-future-marks', () => {
    expect(when([], [row('2025-10-16', 'AM', '/')]).rows).toMatchObject([
      { outcome: 'rejected', rule: 'no-future-marks' },
    ]);
  });

  it('given 23:30 UTC during British Summer Time, when the next day is registered, then it is today in England and accepted', () => {
    expect(when([], [row('2025-10-02', 'AM', '/')], '2025-10-01T23:30:00Z').rows).toEqual([
      { index: 0, outcome: 'recorded' },
    ]);
  });

  it('given the first day of the academic year, when backdated to it, then it is accepted', () => {
    expect(when([], [row('2025-08-01', 'AM', '#')]).rows).toEqual([{ index: 0, outcome: 'recorded' }]);
  });

  it('given a date in the previous academic year, when backdated, then the row is rejected with backdating-within-year', () => {
    expect(when([], [row('2025-07-31', 'PM', '/')]).rows).toMatchObject([
      { outcome: 'rejected', rule: 'backdating-within-year' },
    ]);
  });

  it('given a mark from last year, when it is corrected this year, then the row is rejected with backdating-within-year', () => {
    const lastYear = [mark('2025-07-15', 'AM', 'N', { recordedAt: '2025-07-15T09:00:00Z' })];
    expect(when(lastYear, [row('2025-07-15', 'AM', 'I', { reason: 'Doctor’s note' })]).rows).toMatchObject([
      { outcome: 'rejected', rule: 'backdating-within-year' },
    ]);
  });

  it('given a mark from last year, when it is sent again unchanged, then nothing is recorded and nothing refused', () => {
    const lastYear = [mark('2025-07-15', 'AM', 'N', { recordedAt: EARLIER })];
    expect(when(lastYear, [row('2025-07-15', 'AM', 'N')]).rows).toEqual([{ index: 0, outcome: 'unchanged' }]);
  });
});

describe('decideAttendanceMarks: codes', () => {
  it('given a retired code, when registered, then the row is rejected with attendance-code-current naming the replacement', () => {
    const decision = when([], [row('2025-10-14', 'AM', 'J')]);
    expect(decision.rows).toMatchObject([{ outcome: 'rejected', rule: 'attendance-code-current' }]);
    expect(decision.rows[0]).toHaveProperty('reason', expect.stringContaining('J1'));
  });

  it('given an unknown code, when registered, then the row is rejected with attendance-code-known', () => {
    expect(when([], [row('2025-10-14', 'AM', 'Q9')]).rows).toMatchObject([
      { outcome: 'rejected', rule: 'attendance-code-known' },
    ]);
  });

  it('given a batch with one bad row, when decided, then the good rows are still decided and only they produce events', () => {
    const decision = when([], [row('2025-10-14', 'AM', 'H'), row('2025-10-14', 'PM', '\\')]);
    expect(decision.rows.map((r) => r.outcome)).toEqual(['rejected', 'recorded']);
    expect(attendanceMarksFrom(decision.events).map((m) => m.session)).toEqual(['PM']);
  });
});
