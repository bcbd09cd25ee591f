import { ATTENDANCE_CODES, SESSIONS } from '@small-steps/domain';
import { z } from 'zod';
import { storedList, wholeNumber } from '../common/bounds.ts';
import { personal } from '../common/personal.ts';
import { isoDate, isoDateTime, safeText, schoolUrn, uuid } from '../common/safe-text.ts';

const code = z.enum([...ATTENDANCE_CODES.keys()] as [string, ...string[]]);
const session = z.enum(SESSIONS);

/**
 * Payload of `AttendanceRecorded`, schema version 1: one pupil's sessions marked for the first time in
 * one upload, in a stream per pupil and academic year. No longer written (see version 2).
 */
export const AttendanceRecordedV1 = z
  .strictObject({
    pupilId: uuid,
    academicYear: wholeNumber(),
    recordedAt: isoDateTime,
    marks: storedList(z.strictObject({ schoolUrn, date: isoDate, session, code })).min(1),
  })
  .meta({ id: 'AttendanceRecordedV1', description: 'Payload of `AttendanceRecorded`, schema version 1.' });

/**
 * Payload of `AttendanceRecorded`, schema version 2: one school's register for one day, the sessions
 * an upload marked for the first time, in a stream per school and day. `marks` reads as the register
 * does, a row per pupil (by id) with a code per session.
 */
export const AttendanceRecordedV2 = z
  .strictObject({
    schoolUrn,
    date: isoDate,
    recordedAt: isoDateTime,
    marks: z.record(uuid, z.strictObject({ AM: code.optional(), PM: code.optional() })),
  })
  .meta({ id: 'AttendanceRecordedV2', description: 'Payload of `AttendanceRecorded`, schema version 2.' });

/** Payload of `AttendanceCorrected`, schema version 1; `reason` travels in the event's `personal` part. */
export const AttendanceCorrectedV1 = z
  .strictObject({
    pupilId: uuid,
    schoolUrn,
    date: isoDate,
    session,
    academicYear: wholeNumber(),
    recordedAt: isoDateTime,
    code,
    previousCode: code,
    reason: personal('reason', safeText(500)),
  })
  .meta({
    id: 'AttendanceCorrectedV1',
    description:
      'Payload of `AttendanceCorrected`, schema version 1. Fields marked `x-personal` are stored in the event’s `personal` part.',
  });

/** The payload schema of each attendance event at its current version. */
export const attendanceEventSchemas = {
  AttendanceRecorded: AttendanceRecordedV2,
  AttendanceCorrected: AttendanceCorrectedV1,
} as const;

/** The schema version each attendance event is written at. */
export const ATTENDANCE_EVENT_SCHEMA_VERSIONS = {
  AttendanceRecorded: 2,
  AttendanceCorrected: 1,
} as const;
