/**
 * The national register codes in force from 19 August 2024 (The School Attendance (Pupil
 * Registration) (England) Regulations 2024; DfE, "Working together to improve school attendance",
 * August 2024). docs/domain.md §4 has the table.
 */
export const ATTENDANCE_CODE_GROUPS = [
  'present',
  'approved_educational_activity',
  'authorised_absence',
  'unauthorised_absence',
  'not_required',
  'administrative',
] as const;
export type AttendanceCodeGroup = (typeof ATTENDANCE_CODE_GROUPS)[number];

/** How a session counts in the statistics; `not_counted` sessions are not possible sessions. */
export type AttendanceCountsAs = 'attendance' | 'authorised_absence' | 'unauthorised_absence' | 'not_counted';

export interface AttendanceCodeInfo {
  code: AttendanceCode;
  group: AttendanceCodeGroup;
  isPossibleSession: boolean;
  countsAs: AttendanceCountsAs;
  meaning: string;
}

const COUNTS: Record<AttendanceCodeGroup, Pick<AttendanceCodeInfo, 'isPossibleSession' | 'countsAs'>> = {
  present: { isPossibleSession: true, countsAs: 'attendance' },
  approved_educational_activity: { isPossibleSession: true, countsAs: 'attendance' },
  authorised_absence: { isPossibleSession: true, countsAs: 'authorised_absence' },
  unauthorised_absence: { isPossibleSession: true, countsAs: 'unauthorised_absence' },
  not_required: { isPossibleSession: false, countsAs: 'not_counted' },
  administrative: { isPossibleSession: false, countsAs: 'not_counted' },
};

const CODES = [
  ['/', 'present', 'Present (morning session)'],
  ['\\', 'present', 'Present (afternoon session)'],
  ['L', 'present', 'Late, arrived before the register closed'],
  ['K', 'approved_educational_activity', 'Attending education provision arranged by the local authority'],
  ['V', 'approved_educational_activity', 'Attending an educational visit or trip'],
  ['P', 'approved_educational_activity', 'Participating in an approved sporting activity'],
  ['W', 'approved_educational_activity', 'Attending work experience'],
  ['B', 'approved_educational_activity', 'Attending any other approved educational activity'],
  ['C1', 'authorised_absence', 'Leave of absence for a regulated performance or regulated employment abroad'],
  ['M', 'authorised_absence', 'Leave of absence for a medical or dental appointment'],
  ['J1', 'authorised_absence', 'Leave of absence for an interview for employment or another educational institution'],
  ['S', 'authorised_absence', 'Leave of absence for study leave'],
  ['C2', 'authorised_absence', 'Leave of absence on a part-time timetable'],
  ['C', 'authorised_absence', 'Leave of absence in exceptional circumstances'],
  ['T', 'authorised_absence', 'Parent travelling for occupational purposes'],
  ['R', 'authorised_absence', 'Religious observance'],
  ['I', 'authorised_absence', 'Illness (not a medical or dental appointment)'],
  ['E', 'authorised_absence', 'Suspended or permanently excluded, no alternative provision made'],
  ['G', 'unauthorised_absence', 'Holiday not granted by the school'],
  ['N', 'unauthorised_absence', 'Reason for absence not yet provided'],
  ['O', 'unauthorised_absence', 'Absent in other or unknown circumstances'],
  ['U', 'unauthorised_absence', 'Arrived after the register closed'],
  ['X', 'not_required', 'Not required to be in school (non-compulsory school age)'],
  ['Q', 'not_required', 'Unable to attend because of a lack of access arrangements'],
  ['Y1', 'not_required', 'Unable to attend: transport normally provided not available'],
  ['Y2', 'not_required', 'Unable to attend: widespread disruption to travel'],
  ['Y3', 'not_required', 'Unable to attend: part of the school premises closed'],
  ['Y4', 'not_required', 'Unable to attend: whole school site unexpectedly closed'],
  ['Y5', 'not_required', 'Unable to attend: in criminal justice detention'],
  ['Y6', 'not_required', 'Unable to attend: public health guidance or law'],
  ['Y7', 'not_required', 'Unable to attend: any other unavoidable cause'],
  ['D', 'administrative', 'Dual registered: attending another school'],
  ['Z', 'administrative', 'Prospective pupil not yet on the admission register'],
  ['#', 'administrative', 'Planned whole-school closure'],
] as const satisfies readonly (readonly [string, AttendanceCodeGroup, string])[];

export type AttendanceCode = (typeof CODES)[number][0];

/** Every current code with its group, how it counts and what it means, in the order of the guidance. */
export const ATTENDANCE_CODES: ReadonlyMap<AttendanceCode, AttendanceCodeInfo> = new Map(
  CODES.map(([code, group, meaning]) => [code, { code, group, ...COUNTS[group], meaning }]),
);

export const isAttendanceCode = (code: string): code is AttendanceCode => ATTENDANCE_CODES.has(code as AttendanceCode);

/** The info of a current code (the type guarantees it exists). */
export const attendanceCodeInfo = (code: AttendanceCode): AttendanceCodeInfo => ATTENDANCE_CODES.get(code)!;
