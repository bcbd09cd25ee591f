import {
  type AttendanceCode,
  type AttendanceCodeInfo,
  attendanceCodeInfo,
  isAttendanceCode,
} from './attendance-codes.ts';

export type AttendanceCodeCheck =
  | { ok: true; info: AttendanceCodeInfo }
  | {
      ok: false;
      rule: 'attendance-code-current' | 'attendance-code-known';
      message: string;
      /** Current codes to use instead, where the retired code has successors. */
      replacements: AttendanceCode[];
    };

interface RetiredCode {
  replacements: AttendanceCode[];
  message: string;
}

/** Codes schools' systems may still send; each refusal says what to use now. */
export const RETIRED_ATTENDANCE_CODES: ReadonlyMap<string, RetiredCode> = new Map([
  [
    'H',
    {
      replacements: ['G', 'C'],
      message:
        'Code H (agreed family holiday) was retired on 19 August 2024: use G for a holiday the school did not grant, or C if leave was granted in exceptional circumstances.',
    },
  ],
  [
    'F',
    {
      replacements: ['G', 'C'],
      message:
        'Code F (agreed extended family holiday) is retired: use G for a holiday the school did not grant, or C if leave was granted in exceptional circumstances.',
    },
  ],
  [
    'J',
    {
      replacements: ['J1'],
      message:
        'Code J (interview) was replaced on 19 August 2024 by J1, which counts as authorised absence rather than an approved educational activity.',
    },
  ],
  [
    'Y',
    {
      replacements: ['Y1', 'Y2', 'Y3', 'Y4', 'Y5', 'Y6', 'Y7'],
      message:
        'Code Y (unable to attend due to exceptional circumstances) was split on 19 August 2024 into Y1 to Y7: use the one that says why the pupil could not attend.',
    },
  ],
]);

// COVID-19 era systems recorded X with local sub-codes; the 2024 codes have none, so any X-prefixed
// code other than X itself is one of them.
const COVID_X_SUB_CODE = /^X.+$/;
const COVID_X: RetiredCode = {
  replacements: ['Y6', 'X'],
  message:
    'COVID-19 sub-codes of X are retired: use Y6 for a pupil unable to attend because of public health guidance or law, and X only for a pupil of non-compulsory school age not required in school.',
};

/**
 * Checks a register code against the codes in force (trimmed and upper-cased first). Retired codes
 * are refused with `attendance-code-current` and a message naming the replacement; anything else
 * unknown with `attendance-code-known`.
 */
export const checkAttendanceCode = (code: string): AttendanceCodeCheck => {
  const candidate = code.trim().toUpperCase();
  if (isAttendanceCode(candidate)) return { ok: true, info: attendanceCodeInfo(candidate) };
  const retired = RETIRED_ATTENDANCE_CODES.get(candidate) ?? (COVID_X_SUB_CODE.test(candidate) ? COVID_X : undefined);
  if (retired) return { ok: false, rule: 'attendance-code-current', ...retired };
  return {
    ok: false,
    rule: 'attendance-code-known',
    message: `"${code}" is not a register code in force since 19 August 2024.`,
    replacements: [],
  };
};
