import type { AttendanceMark, AttendanceMarkInput, Session } from '../../src/attendance/index.ts';

export const PUPIL = '00000000-0000-4000-8000-0000000000a1';
export const OTHER_PUPIL = '00000000-0000-4000-8000-0000000000a2';
export const SCHOOL = '100001';
export const OTHER_SCHOOL = '100002';
/** A Wednesday in the autumn term of academic year 2025, in BST. */
export const NOW = '2025-10-15T09:30:00+01:00';
export const EARLIER = '2025-10-01T09:00:00Z';

export const row = (
  date: string,
  session: Session,
  code: string,
  extra: Partial<AttendanceMarkInput> = {},
): AttendanceMarkInput => ({ pupilId: PUPIL, schoolUrn: SCHOOL, date, session, code, ...extra });

export const mark = (
  date: string,
  session: Session,
  code: AttendanceMark['code'],
  extra: Partial<AttendanceMark> = {},
): AttendanceMark => ({ pupilId: PUPIL, schoolUrn: SCHOOL, date, session, code, recordedAt: EARLIER, ...extra });

/** A day's AM and PM marks, as a register reads across. */
export const day = (
  date: string,
  am: AttendanceMark['code'],
  pm: AttendanceMark['code'],
  extra: Partial<AttendanceMark> = {},
): AttendanceMark[] => [mark(date, 'AM', am, extra), mark(date, 'PM', pm, extra)];
