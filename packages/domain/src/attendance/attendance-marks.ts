import type { AttendanceCode } from './attendance-codes.ts';

export const SESSIONS = ['AM', 'PM'] as const;
export type Session = (typeof SESSIONS)[number];

/**
 * What a mark is about. A mark belongs to a pupil, a school, a date and a session: a dual-registered
 * pupil has marks from two schools, and neither school's mark overwrites the other's.
 */
export interface AttendanceSessionKey {
  pupilId: string;
  schoolUrn: string;
  /** ISO date of the session (when it happened). */
  date: string;
  session: Session;
}

/** One recorded version of a mark: `recordedAt` is when the system learnt it (bitemporal). */
export interface AttendanceMark extends AttendanceSessionKey {
  code: AttendanceCode;
  recordedAt: string;
}

/** A mark as a school sends it; `reason` is required when it changes a recorded mark. */
export interface AttendanceMarkInput extends AttendanceSessionKey {
  code: string;
  reason?: string;
}

/**
 * Sessions of one school's register for one day, marked for the first time in one upload. A day's
 * register is one stream, so a school's daily upload is one event however many pupils it has, and
 * the marks read as the register does: a row per pupil, a code per session.
 */
export interface AttendanceRecorded {
  type: 'AttendanceRecorded';
  data: {
    schoolUrn: string;
    /** ISO date of the sessions (when they happened). */
    date: string;
    recordedAt: string;
    /** By pupil id, the sessions marked. */
    marks: Record<string, RegisterRow>;
  };
}

/** A pupil's codes for the sessions of one day that an event marks. */
export type RegisterRow = Partial<Record<Session, AttendanceCode>>;

/** One mark changed. The reason is free text, so it travels in `personal`. */
export interface AttendanceCorrected {
  type: 'AttendanceCorrected';
  data: AttendanceSessionKey & {
    academicYear: number;
    recordedAt: string;
    code: AttendanceCode;
    previousCode: AttendanceCode;
  };
  personal: { reason: string };
}

export type AttendanceEvent = AttendanceRecorded | AttendanceCorrected;

export const sessionKeyOf = ({ pupilId, schoolUrn, date, session }: AttendanceSessionKey): string =>
  `${pupilId}|${schoolUrn}|${date}|${session}`;

/** Every recorded version of every mark, in the events' order: what the deciders and the trend read. */
export const attendanceMarksFrom = (events: readonly AttendanceEvent[]): AttendanceMark[] =>
  events.flatMap((event): AttendanceMark[] => {
    if (event.type === 'AttendanceRecorded') {
      const { schoolUrn, date, recordedAt } = event.data;
      return Object.entries(event.data.marks).flatMap(([pupilId, row]) =>
        SESSIONS.flatMap((session) => {
          const code = row[session];
          return code === undefined ? [] : [{ pupilId, schoolUrn, date, session, code, recordedAt }];
        }),
      );
    }
    const { pupilId, schoolUrn, date, session, code, recordedAt } = event.data;
    return [{ pupilId, schoolUrn, date, session, code, recordedAt }];
  });

/**
 * The mark in force for each session: the last version in stream order. Stream order, not
 * `recordedAt`, decides, so a writer's clock running behind cannot resurrect an older mark.
 */
export const currentMarks = (versions: readonly AttendanceMark[]): Map<string, AttendanceMark> => {
  const current = new Map<string, AttendanceMark>();
  for (const mark of versions) current.set(sessionKeyOf(mark), mark);
  return current;
};
