import { describe, expect, it } from 'vitest';
import { ATTENDANCE_CODES, type AttendanceCodeGroup, checkAttendanceCode } from '../../src/attendance/index.ts';

const codesIn = (group: AttendanceCodeGroup) =>
  [...ATTENDANCE_CODES.values()].filter((info) => info.group === group).map((info) => info.code);

describe('ATTENDANCE_CODES (2024)', () => {
  it('given the reference data, when grouped, then each group holds the codes of docs/domain.md §4', () => {
    expect(codesIn('present')).toEqual(['/', '\\', 'L']);
    expect(codesIn('approved_educational_activity')).toEqual(['K', 'V', 'P', 'W', 'B']);
    expect(codesIn('authorised_absence')).toEqual(['C1', 'M', 'J1', 'S', 'C2', 'C', 'T', 'R', 'I', 'E']);
    expect(codesIn('unauthorised_absence')).toEqual(['G', 'N', 'O', 'U']);
    expect(codesIn('not_required')).toEqual(['X', 'Q', 'Y1', 'Y2', 'Y3', 'Y4', 'Y5', 'Y6', 'Y7']);
    expect(codesIn('administrative')).toEqual(['D', 'Z', '#']);
  });

  it('given the reference data, when asked how codes count, then only the not-required and administrative groups are not possible sessions', () => {
    for (const info of ATTENDANCE_CODES.values()) {
      const counted = !['not_required', 'administrative'].includes(info.group);
      expect(info.isPossibleSession, info.code).toBe(counted);
      expect(info.countsAs === 'not_counted', info.code).toBe(!counted);
      expect(info.meaning.length, info.code).toBeGreaterThan(0);
    }
  });

  it('given approved educational activity, when counted, then it counts as attendance', () => {
    expect(ATTENDANCE_CODES.get('K')?.countsAs).toBe('attendance');
  });
});

describe('checkAttendanceCode', () => {
  it('given a current code, when checked, then it passes with its info', () => {
    expect(checkAttendanceCode('C2')).toEqual({
      ok: true,
      info: {
        code: 'C2',
        group: 'authorised_absence',
        isPossibleSession: true,
        countsAs: 'authorised_absence',
        meaning: 'Leave of absence on a part-time timetable',
      },
    });
  });

  it('given a lower-case code with spaces, when checked, then it passes as the canonical code', () => {
    expect(checkAttendanceCode(' y3 ')).toMatchObject({ ok: true, info: { code: 'Y3' } });
  });

  it.each([
    ['J', ['J1']],
    ['H', ['G', 'C']],
    ['F', ['G', 'C']],
    ['Y', ['Y1', 'Y2', 'Y3', 'Y4', 'Y5', 'Y6', 'Y7']],
    ['X01', ['Y6', 'X']],
  ])('given the retired code %s, when checked, then it is refused naming %j', (code, replacements) => {
    const check = checkAttendanceCode(code);
    expect(check).toMatchObject({ ok: false, rule: 'attendance-code-current', replacements });
    // The message is for people: it names the first and last successor ("Y1 to Y7").
    if (!check.ok) expect(check.message).toContain(replacements[0]);
    if (!check.ok) expect(check.message).toContain(replacements.at(-1));
  });

  it.each(['', 'A', 'J2', 'Y8', '//'])(
    'given the unknown code "%s", when checked, then it is refused as unknown',
    (code) => {
      expect(checkAttendanceCode(code)).toMatchObject({ ok: false, rule: 'attendance-code-known', replacements: [] });
    },
  );
});
