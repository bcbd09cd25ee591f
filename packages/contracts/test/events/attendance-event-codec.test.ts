import { describe, expect, it } from 'vitest';
import { ATTENDANCE_EVENT_SCHEMA_VERSIONS, attendanceEventCodec, attendanceEventSchemas } from '../../src/index.ts';
import { attendanceEvents, OTHER_PUPIL, PUPIL, SCHOOL } from './event-samples.ts';
import { attendanceToday } from './stored-forms-today.ts';

const events = attendanceEvents();

describe('attendance event codec', () => {
  it('given two uploads, then the sample holds registers of two schools and days and corrections', () => {
    expect(events.map((event) => [event.type, event.data.schoolUrn, event.data.date])).toEqual([
      ['AttendanceRecorded', SCHOOL, '2025-10-13'],
      ['AttendanceRecorded', SCHOOL, '2025-10-14'],
      ['AttendanceRecorded', '100002', '2025-10-14'],
      ['AttendanceCorrected', SCHOOL, '2025-10-13'],
      ['AttendanceCorrected', SCHOOL, '2025-10-13'],
      ['AttendanceRecorded', SCHOOL, '2025-10-15'],
    ]);
  });

  it('given every attendance event of the sample, when encoded and decoded, then each reads back as the decider wrote it', () => {
    for (const event of events) {
      expect(attendanceEventCodec.decode(attendanceEventCodec.encode(event)), event.type).toStrictEqual([event]);
    }
  });

  it('given any attendance event, when encoded, then it is stored at its current version as its contract reads it', () => {
    for (const event of events) {
      const stored = attendanceEventCodec.encode(event);
      expect(stored.schemaVersion).toBe(ATTENDANCE_EVENT_SCHEMA_VERSIONS[event.type]);
      const payload = { ...stored.data, ...stored.personal };
      expect(attendanceEventSchemas[event.type].safeParse(payload).error?.issues ?? [], event.type).toEqual([]);
    }
  });

  it('given any attendance event, when encoded, then it is stored byte for byte as the api stores it today', () => {
    for (const event of events) {
      expect(JSON.stringify(attendanceEventCodec.encode(event)), event.type).toBe(
        JSON.stringify(attendanceToday.toStored(event)),
      );
    }
  });

  it('given events stored as the api stores them today, when decoded, then each equals what the last reader gave', () => {
    for (const event of events) {
      const stored = attendanceToday.toStored(event);
      expect(attendanceEventCodec.decode(stored), event.type).toStrictEqual([attendanceToday.fromStored(stored)]);
    }
  });

  it('given a correction, when encoded, then its reason is in personal and not in data', () => {
    const stored = events.filter((event) => event.type === 'AttendanceCorrected').map(attendanceEventCodec.encode);
    expect(stored.map((event) => event.personal)).toEqual([
      { reason: 'Parent rang: unwell since the weekend.' },
      { reason: 'Dentist letter arrived.' },
    ]);
    for (const event of stored) expect(event.data).not.toHaveProperty('reason');
    expect(stored[0]!.data).toMatchObject({ pupilId: OTHER_PUPIL, code: 'I', previousCode: 'N' });
  });

  it('given a register, when encoded, then it has no personal part', () => {
    const recorded = attendanceEventCodec.encode(events[0]!);
    expect(recorded.personal).toBeNull();
    expect(recorded.data.marks).toEqual({ [PUPIL]: { AM: '/', PM: '\\' }, [OTHER_PUPIL]: { AM: 'N' } });
  });

  it('given a correction whose personal part was erased, when decoded, then it reads with an empty reason', () => {
    const corrected = events.find((event) => event.type === 'AttendanceCorrected')!;
    const stored = { ...attendanceEventCodec.encode(corrected), personal: null };
    expect(attendanceEventCodec.decode(stored)).toEqual([{ ...corrected, personal: { reason: '' } }]);
  });

  it('given a register at a version newer than current, when decoded, then the error says a newer version wrote it', () => {
    const stored = { ...attendanceEventCodec.encode(events[0]!), schemaVersion: 3 };
    expect(() => attendanceEventCodec.decode(stored)).toThrow(
      'AttendanceRecorded version 3 was written by a newer version of Small Steps (this one reads up to version 2)',
    );
  });

  it('given a correction at a version no upcaster reads, when decoded, then the error names its type and version', () => {
    const corrected = events.find((event) => event.type === 'AttendanceCorrected')!;
    const stored = { ...attendanceEventCodec.encode(corrected), schemaVersion: 0 };
    expect(() => attendanceEventCodec.decode(stored)).toThrow('No upcaster for AttendanceCorrected version 0');
  });
});
