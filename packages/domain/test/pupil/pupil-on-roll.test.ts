import { describe, expect, it } from 'vitest';
import { type Enrolment, isOnRollOn } from '../../src/index.ts';

const admitted = (schoolUrn: string, admissionDate: string, leavingDate: string | null = null): Enrolment => ({
  schoolUrn,
  admissionDate,
  leavingDate,
});

describe('pupil-on-roll', () => {
  it('given a pupil admitted on 7 September, when marked that day or after, then they are on the roll', () => {
    const enrolments = [admitted('100001', '2026-09-07')];
    expect(isOnRollOn(enrolments, '100001', '2026-09-07')).toBe(true);
    expect(isOnRollOn(enrolments, '100001', '2026-12-01')).toBe(true);
  });

  it('given a pupil admitted on 7 September, when marked before it, then they are not on the roll yet', () => {
    expect(isOnRollOn([admitted('100001', '2026-09-07')], '100001', '2026-09-04')).toBe(false);
  });

  it('given a leaver, when marked up to the leaving day, then they count, and after it they do not', () => {
    const enrolments = [admitted('100001', '2026-09-01', '2026-10-16')];
    expect(isOnRollOn(enrolments, '100001', '2026-10-16')).toBe(true);
    expect(isOnRollOn(enrolments, '100001', '2026-10-19')).toBe(false);
  });

  it('given a pupil re-admitted after leaving, when marked in the gap, then they are not on the roll', () => {
    const enrolments = [admitted('100001', '2026-09-01', '2026-10-16'), admitted('100001', '2026-11-02')];
    expect(isOnRollOn(enrolments, '100001', '2026-10-20')).toBe(false);
    expect(isOnRollOn(enrolments, '100001', '2026-11-02')).toBe(true);
  });

  it("given a dual-registered pupil, when another school marks them, then only that school's roll counts", () => {
    const enrolments = [admitted('100001', '2026-09-01'), admitted('100002', '2026-10-01')];
    expect(isOnRollOn(enrolments, '100002', '2026-09-15')).toBe(false);
    expect(isOnRollOn(enrolments, '100003', '2026-10-15')).toBe(false);
  });
});
