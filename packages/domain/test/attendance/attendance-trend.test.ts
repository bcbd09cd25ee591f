import { describe, expect, it } from 'vitest';
import { type AttendanceMark, attendanceTrend } from '../../src/attendance/index.ts';
import { day, mark, OTHER_SCHOOL, PUPIL } from './attendance-given.ts';

/** September 2025, admitted on Monday 1st: 22 school days, every code group used. */
const september: AttendanceMark[] = [
  // week of 1 Sep
  ...day('2025-09-01', '/', '\\'),
  ...day('2025-09-02', '/', '\\'),
  ...day('2025-09-03', 'L', '\\'),
  ...day('2025-09-04', 'V', 'V'),
  ...day('2025-09-05', '/', 'P'),
  // week of 8 Sep
  ...day('2025-09-08', 'I', 'I'),
  ...day('2025-09-09', 'I', 'I'),
  ...day('2025-09-10', 'M', '\\'),
  ...day('2025-09-11', '/', '\\'),
  ...day('2025-09-12', '#', '#'),
  // week of 15 Sep
  ...day('2025-09-15', 'C2', 'C2'),
  ...day('2025-09-16', '/', 'C2'),
  ...day('2025-09-17', '/', '\\'),
  ...day('2025-09-18', 'N', 'O'),
  ...day('2025-09-19', 'G', 'G'),
  // week of 22 Sep
  ...day('2025-09-22', '/', 'K'),
  ...day('2025-09-23', 'W', 'B'),
  ...day('2025-09-24', 'Y1', '\\'),
  ...day('2025-09-25', 'U', '\\'),
  ...day('2025-09-26', '/', '\\'),
  // week of 29 Sep
  ...day('2025-09-29', 'R', 'C'),
  ...day('2025-09-30', 'J1', 'S'),
];

const trendOf = (marks: AttendanceMark[], extra: Partial<Parameters<typeof attendanceTrend>[0]> = {}) =>
  attendanceTrend({ pupilId: PUPIL, marks, year: 2025, ...extra });

/** `possible` sessions of which `missed` were absences (N), the rest present. */
const sessionsMissing = (possible: number, missed: number): AttendanceMark[] =>
  Array.from({ length: possible }, (_, i) =>
    mark(
      `2025-09-${String(1 + Math.floor(i / 2)).padStart(2, '0')}`,
      i % 2 === 0 ? 'AM' : 'PM',
      i < missed ? 'N' : '/',
    ),
  );

describe('attendanceTrend: a month by hand', () => {
  const trend = trendOf(september);

  it('given a month using every code group, when totalled, then the figures equal the hand computation', () => {
    // 22 days × 2 = 44 sessions; not counted: # # (12th) + Y1 (24th AM) = 3, so possible = 41.
    // present (/ \ L) = 18; approved activity: V V (4th) + P (5th) + K (22nd) + W B (23rd) = 6; attended = 24.
    // authorised: I I I I + M + C2 C2 C2 + R C + J1 S = 12, of which C2 = 3.
    // unauthorised: N O + G G + U = 5.            Check: 24 + 12 + 5 = 41.
    // rate = 24 / 41 = 58.536… → 58.5; overall absence = 100 − 58.5 = 41.5.
    expect(trend.totals).toEqual({
      possible: 41,
      attended: 24,
      authorisedAbsence: 12,
      unauthorisedAbsence: 5,
      notCounted: 3,
      partTimeTimetable: 3,
      rate: 58.5,
      overallAbsence: 41.5,
    });
    // Without the 3 C2 sessions: 24 / 38 = 63.157… → 63.2.
    expect(trend.rateExcludingPartTimeTimetable).toBe(63.2);
  });

  it('given 17 of 41 sessions missed, when flagged, then the pupil is persistently but not severely absent', () => {
    // 17 / 41 = 41.5 % missed: ≥ 10 %, < 50 %.
    expect(trend).toMatchObject({ persistentAbsence: true, severeAbsence: false });
  });

  it('given the month, when split into ISO weeks, then each week and its rolling 4-week rate equal the hand computation', () => {
    // week      possible attended rate            rolling (last 4 weeks with possible sessions)
    // 1 Sep     10       10       100.0           10/10 = 100.0
    // 8 Sep     8 (# #)  3        3/8 = 37.5      13/18 = 72.2
    // 15 Sep    10       3        30.0            16/28 = 57.1
    // 22 Sep    9 (Y1)   8        8/9 = 88.9      24/37 = 64.9
    // 29 Sep    4        0        0.0             (3+3+8+0)/(8+10+9+4) = 14/31 = 45.2
    expect(trend.weeks).toEqual([
      { weekStart: '2025-09-01', possible: 10, attended: 10, rate: 100, rolling4WeekRate: 100 },
      { weekStart: '2025-09-08', possible: 8, attended: 3, rate: 37.5, rolling4WeekRate: 72.2 },
      { weekStart: '2025-09-15', possible: 10, attended: 3, rate: 30, rolling4WeekRate: 57.1 },
      { weekStart: '2025-09-22', possible: 9, attended: 8, rate: 88.9, rolling4WeekRate: 64.9 },
      { weekStart: '2025-09-29', possible: 4, attended: 0, rate: 0, rolling4WeekRate: 45.2 },
    ]);
    expect(trend.rolling4WeekRate).toBe(45.2);
  });

  it('given a plan opened on 15 September, when compared, then the rate before it and each month since equal the hand computation', () => {
    // before: weeks of 1 and 8 Sep = 13 / 18 = 72.2; September since the 15th: 11 / 23 = 47.8;
    // October: 2 / 2 = 100.0.
    const withOctober = trendOf([...september, ...day('2025-10-01', '/', '\\')], { planOpenedOn: '2025-09-15' });
    expect(withOctober.sincePlanOpened).toEqual({
      openedOn: '2025-09-15',
      before: { possible: 18, attended: 13, rate: 72.2 },
      months: [
        { month: '2025-09', possible: 23, attended: 11, rate: 47.8 },
        { month: '2025-10', possible: 2, attended: 2, rate: 100 },
      ],
    });
  });

  it('given no plan date, when computed, then there is no comparison', () => {
    expect(trend.sincePlanOpened).toBeNull();
  });
});

describe('attendanceTrend: thresholds', () => {
  it.each([
    [20, 2, true, 90], // exactly 10 % missed
    [20, 1, false, 95],
    [30, 3, true, 90],
    [30, 2, false, 93.3],
  ])(
    'given %i possible sessions and %i missed, when flagged, then persistent absence is %s',
    (possible, missed, flagged, rate) => {
      const trend = trendOf(sessionsMissing(possible, missed));
      expect(trend.totals.rate).toBe(rate);
      expect(trend.persistentAbsence).toBe(flagged);
    },
  );

  it.each([
    [10, 5, true], // exactly 50 % missed
    [10, 4, false],
    [11, 6, true],
    [11, 5, false],
  ])(
    'given %i possible sessions and %i missed, when flagged, then severe absence is %s',
    (possible, missed, flagged) => {
      expect(trendOf(sessionsMissing(possible, missed)).severeAbsence).toBe(flagged);
    },
  );

  it('given only sessions that are not possible, when computed, then the rate is null and nothing is flagged', () => {
    const trend = trendOf([...day('2025-09-01', '#', '#'), ...day('2025-09-02', 'X', 'Y4')]);
    expect(trend.totals).toMatchObject({ possible: 0, notCounted: 4, rate: null, overallAbsence: null });
    expect(trend).toMatchObject({ persistentAbsence: false, severeAbsence: false, rolling4WeekRate: null });
  });

  it('given 1 of 8 sessions attended, when rounded, then a half rounds up (12.5) and absence completes 100', () => {
    const trend = trendOf(sessionsMissing(8, 7));
    expect(trend.totals).toMatchObject({ rate: 12.5, overallAbsence: 87.5 });
  });
});

describe('attendanceTrend: corrections and as-recorded-at', () => {
  const history: AttendanceMark[] = [
    mark('2025-09-01', 'AM', 'N', { recordedAt: '2025-09-01T09:00:00Z' }),
    mark('2025-09-01', 'AM', 'I', { recordedAt: '2025-09-03T10:00:00Z' }),
    mark('2025-09-01', 'AM', 'L', { recordedAt: '2025-09-10T10:00:00Z' }),
    mark('2025-09-02', 'AM', '/', { recordedAt: '2025-09-05T08:00:00Z' }),
  ];

  it('given a mark corrected twice, when computed now, then the latest correction counts', () => {
    expect(trendOf(history).totals).toMatchObject({ possible: 2, attended: 2, unauthorisedAbsence: 0 });
  });

  it('given an instant between the corrections, when computed as recorded then, then the correction known at that instant counts', () => {
    const trend = trendOf(history, { asRecordedAt: '2025-09-04T00:00:00Z' });
    // 1 Sep AM was I (authorised) by then; the backdated 2 Sep mark was not yet recorded.
    expect(trend.totals).toMatchObject({ possible: 1, attended: 0, authorisedAbsence: 1 });
    expect(trend.asRecordedAt).toBe('2025-09-04T00:00:00Z');
  });

  it('given the exact instant of a correction, when computed as recorded then, then that correction counts', () => {
    expect(trendOf(history, { asRecordedAt: '2025-09-03T11:00:00+01:00' }).totals).toMatchObject({
      authorisedAbsence: 1,
    });
  });

  it('given an instant before anything was recorded, when computed, then nothing counts', () => {
    expect(trendOf(history, { asRecordedAt: '2025-08-31T23:59:59Z' }).totals.possible).toBe(0);
  });
});

describe('attendanceTrend: dual registration', () => {
  it('given D at the main school and a mark at the other, when counted, then the session counts once by the other school', () => {
    const marks = [mark('2025-09-01', 'AM', 'D'), mark('2025-09-01', 'AM', '/', { schoolUrn: OTHER_SCHOOL })];
    expect(trendOf(marks).totals).toMatchObject({ possible: 1, attended: 1, notCounted: 0 });
  });

  it('given D at the main school and an absence at the other, when counted, then the absence counts', () => {
    const marks = [mark('2025-09-01', 'AM', 'D'), mark('2025-09-01', 'AM', 'O', { schoolUrn: OTHER_SCHOOL })];
    expect(trendOf(marks).totals).toMatchObject({ possible: 1, attended: 0, unauthorisedAbsence: 1 });
  });

  it('given non-D marks at both schools, when counted, then the one in the pupil’s favour counts', () => {
    const marks = [mark('2025-09-01', 'AM', 'N'), mark('2025-09-01', 'AM', '/', { schoolUrn: OTHER_SCHOOL })];
    expect(trendOf(marks).totals).toMatchObject({ possible: 1, attended: 1 });
  });

  it('given D at both schools, when counted, then the session is not counted', () => {
    const marks = [mark('2025-09-01', 'AM', 'D'), mark('2025-09-01', 'AM', 'D', { schoolUrn: OTHER_SCHOOL })];
    expect(trendOf(marks).totals).toMatchObject({ possible: 0, notCounted: 1 });
  });
});

describe('attendanceTrend: the year and what lies over it', () => {
  it('given an admission after 1 August, when computed, then the year counts from the admission', () => {
    const trend = trendOf(september, { admissionDate: '2025-09-22' });
    // From 22 Sep: week of 22 Sep (8 of 9) and 29 Sep (0 of 4) = 8 / 13.
    expect(trend.from).toBe('2025-09-22');
    expect(trend.totals).toMatchObject({ possible: 13, attended: 8, rate: 61.5 });
  });

  it('given an admission before 1 August, when computed, then the year counts from 1 August', () => {
    expect(trendOf(september, { admissionDate: '2023-09-04' })).toMatchObject({ from: '2025-08-01', to: '2026-07-31' });
  });

  it('given marks from another year and another pupil, when computed, then only this pupil’s year counts', () => {
    const others = [mark('2025-07-15', 'AM', 'N'), mark('2025-09-01', 'AM', 'N', { pupilId: 'someone-else' })];
    expect(trendOf([...others, ...day('2025-09-01', '/', '\\')]).totals).toMatchObject({ possible: 2, attended: 2 });
  });

  it('given plan events, when laid over, then the year’s markers come back in date order', () => {
    const trend = trendOf(september, {
      planEvents: [
        { date: '2025-10-06', kind: 'review_held', label: 'First review' },
        { date: '2025-09-15', kind: 'plan_opened', label: 'Plan opened' },
        { date: '2025-06-01', kind: 'note', label: 'Last year' },
      ],
    });
    expect(trend.markers).toEqual([
      { date: '2025-09-15', kind: 'plan_opened', label: 'Plan opened' },
      { date: '2025-10-06', kind: 'review_held', label: 'First review' },
    ]);
  });
});
