import { ATTENDANCE_CODES, SESSIONS } from '@small-steps/domain';
import { z } from 'zod';
import { storedId, storedList, wholeNumber } from '../common/bounds.ts';
import { personal } from '../common/personal.ts';
import { isoDate, isoDateTime, safeText, schoolUrn, uuid } from '../common/safe-text.ts';

/** The most marks one request may carry; a school sends a larger register in several requests. */
export const MAX_MARKS_PER_REQUEST = 10_000;

export const AttendanceSession = z
  .enum(SESSIONS)
  .meta({ id: 'AttendanceSession', description: 'Morning or afternoon.' });

const code = z
  .string()
  .trim()
  .min(1, { message: 'must not be empty' })
  .max(8, { message: 'must be at most 8 characters' })
  .meta({
    description: `A register code in force since 19 August 2024: ${[...ATTENDANCE_CODES.keys()].map((c) => `\`${c}\``).join(' ')}. Retired codes (H, F, J, Y, COVID sub-codes of X) are refused, naming the code to use instead.`,
    example: '/',
  });

const reason = personal('reason', safeText(500)).meta({
  description: 'Why a recorded mark changes; required for a row that corrects one (here or for the whole request).',
  example: 'Arrived late with a note from the dentist.',
});

const upn = personal(
  'upn',
  z
    .string()
    .max(100, { message: 'must be at most 100 characters' })
    .trim()
    .toUpperCase()
    .regex(/^[A-Z0-9]{13}$/, { message: 'must be 13 letters and digits' }),
).meta({ description: 'The pupil by Unique Pupil Number, instead of `pupilId`.', example: 'H801200001001' });

export const AttendanceMarkRow = z
  .strictObject({
    pupilId: uuid.optional().meta({ description: 'The pupil by id; or give `upn`.' }),
    upn: upn.optional(),
    date: isoDate.meta({ description: 'The session’s date (when it happened), in England.', example: '2026-11-23' }),
    session: AttendanceSession,
    code,
    reason: reason.optional(),
  })
  .superRefine((row, ctx) => {
    if ((row.pupilId === undefined) === (row.upn === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['pupilId'], message: 'give the pupil by pupilId or by upn, not both' });
    }
  })
  .meta({ id: 'AttendanceMarkRow' });
export type AttendanceMarkRow = z.infer<typeof AttendanceMarkRow>;

export const RecordAttendanceMarksBody = z
  .strictObject({
    schoolUrn: schoolUrn.meta({ description: 'The school whose register this is.', example: '100001' }),
    reason: reason
      .optional()
      .meta({ description: 'Why, for every row that corrects a recorded mark and has no reason of its own.' }),
    marks: z.array(AttendanceMarkRow).min(1, { message: 'must hold at least one mark' }).max(MAX_MARKS_PER_REQUEST),
  })
  .meta({
    id: 'RecordAttendanceMarksBody',
    description: `A school's register marks for one or more days, up to ${MAX_MARKS_PER_REQUEST.toLocaleString('en-GB')} per request. All or nothing.`,
    example: {
      schoolUrn: '100001',
      marks: [
        { pupilId: '5d2c1a4e-8f0b-4d1e-9c7a-2b3e4f5a6b7c', date: '2026-11-23', session: 'AM', code: '/' },
        { upn: 'H801200001001', date: '2026-11-23', session: 'PM', code: 'I' },
      ],
    },
  });
export type RecordAttendanceMarksBody = z.infer<typeof RecordAttendanceMarksBody>;

export const AttendanceMarksRecorded = z
  .object({
    schoolUrn,
    recordedAt: isoDateTime.meta({
      description: 'When these marks were recorded: the time "as recorded at" reads use.',
    }),
    received: wholeNumber(),
    recorded: wholeNumber().meta({ description: 'Sessions marked for the first time.' }),
    corrected: wholeNumber().meta({
      description: 'Recorded marks changed (each an `AttendanceCorrected` with its reason).',
    }),
    unchanged: wholeNumber().meta({
      description: 'Rows identical to the mark already in force: nothing was appended.',
    }),
    corrections: storedList(
      z.object({
        index: wholeNumber().meta({ description: 'The row in `marks`.' }),
        previousCode: storedId(),
        code: storedId(),
      }),
    ),
  })
  .meta({
    id: 'AttendanceMarksRecorded',
    example: {
      schoolUrn: '100001',
      recordedAt: '2026-11-23T16:05:00Z',
      received: 3,
      recorded: 2,
      corrected: 1,
      unchanged: 0,
      corrections: [{ index: 2, previousCode: 'N', code: 'M' }],
    },
  });
export type AttendanceMarksRecorded = z.infer<typeof AttendanceMarksRecorded>;
