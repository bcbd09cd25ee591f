import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, otherTenantOfficer, staffAt } from '../fixtures/test-app.ts';
import { attendanceOf, type ClockedApp, register, startClockedApp, weekdays } from './attendance-given.ts';

// Friday 16 October 2026, 4 pm in England.
const NOW = '2026-10-16T15:00:00.000Z';

/**
 * September 2026: 22 weekdays, 44 sessions, every session present (`/`, `\`) but for these 32, which
 * use every code of every group once. By hand: not counted 9 (X Q Y1–Y7) + 3 (D Z #) = 12; possible
 * 44 − 12 = 32; attended 12 plain present + L + K V P W B = 18; authorised 10 (C2 among them);
 * unauthorised 4. Rate 18/32 = 56.25 → 56.3; missed 14/32 = 43.75 % (persistent, not severe);
 * without C2 18/31 = 58.06 → 58.1.
 */
const SEPTEMBER_CODES: Record<string, string> = {
  '2026-09-02 AM': 'L',
  '2026-09-03 AM': 'K',
  '2026-09-03 PM': 'V',
  '2026-09-04 AM': 'P',
  '2026-09-04 PM': 'W',
  '2026-09-07 AM': 'B',
  '2026-09-08 AM': 'C1',
  '2026-09-08 PM': 'M',
  '2026-09-09 AM': 'J1',
  '2026-09-09 PM': 'S',
  '2026-09-10 AM': 'C2',
  '2026-09-10 PM': 'C',
  '2026-09-11 AM': 'T',
  '2026-09-11 PM': 'R',
  '2026-09-14 AM': 'I',
  '2026-09-14 PM': 'E',
  '2026-09-15 AM': 'G',
  '2026-09-15 PM': 'N',
  '2026-09-16 AM': 'O',
  '2026-09-16 PM': 'U',
  '2026-09-17 AM': 'X',
  '2026-09-17 PM': 'Q',
  '2026-09-18 AM': 'Y1',
  '2026-09-18 PM': 'Y2',
  '2026-09-21 AM': 'Y3',
  '2026-09-21 PM': 'Y4',
  '2026-09-22 AM': 'Y5',
  '2026-09-22 PM': 'Y6',
  '2026-09-23 AM': 'Y7',
  '2026-09-23 PM': 'D',
  '2026-09-24 AM': 'Z',
  '2026-09-24 PM': '#',
};

describeEachDatabase('attendance trend', (factory) => {
  let t: ClockedApp;
  let a: ReturnType<typeof attendanceOf>;

  beforeAll(async () => {
    t = await startClockedApp(factory, NOW);
    a = attendanceOf(t);
  });
  afterAll(async () => t?.close());

  it('counts a month that uses every code group exactly as by hand', async () => {
    const { pupilId } = await a.registerPupil({ admissionDate: '2026-08-01' });
    const marks = register(pupilId, weekdays('2026-09-01', '2026-09-30'), SEPTEMBER_CODES);
    expect(marks).toHaveLength(44);
    expect((await a.mark(marks)).statusCode).toBe(200);

    const response = await a.trend(pupilId);
    expect(response.statusCode).toBe(200);
    const trend = response.json();
    expect(trend).toMatchObject({
      pupilId,
      academicYear: 2026,
      from: '2026-08-01',
      to: '2027-07-31',
      asRecordedAt: null,
      totals: {
        possible: 32,
        attended: 18,
        authorisedAbsence: 10,
        unauthorisedAbsence: 4,
        notCounted: 12,
        partTimeTimetable: 1,
        rate: 56.3,
        overallAbsence: 43.7,
      },
      rateExcludingPartTimeTimetable: 58.1,
      persistentAbsence: true,
      severeAbsence: false,
      rolling4WeekRate: 41.7,
      sincePlanOpened: null,
      markers: [],
    });
    // Weeks by hand: 8/8; 2/10 (B, then eight authorised); 0/6; 2/2 (only the Friday counts); 6/6.
    // Rolling over the last 4 weeks with possible sessions: 8/8, 10/18, 10/24, 12/26, 10/24.
    expect(trend.weeks).toEqual([
      { weekStart: '2026-08-31', possible: 8, attended: 8, rate: 100, rolling4WeekRate: 100 },
      { weekStart: '2026-09-07', possible: 10, attended: 2, rate: 20, rolling4WeekRate: 55.6 },
      { weekStart: '2026-09-14', possible: 6, attended: 0, rate: 0, rolling4WeekRate: 41.7 },
      { weekStart: '2026-09-21', possible: 2, attended: 2, rate: 100, rolling4WeekRate: 46.2 },
      { weekStart: '2026-09-28', possible: 6, attended: 6, rate: 100, rolling4WeekRate: 41.7 },
    ]);
  });

  it('flags persistent absence at exactly 10 % missed and severe absence at exactly 50 %', async () => {
    const days = weekdays('2026-10-05', '2026-10-09');
    const figures = async (absentSessions: string[]) => {
      const { pupilId } = await a.registerPupil();
      const overrides = Object.fromEntries(absentSessions.map((session) => [session, 'O']));
      await a.mark(register(pupilId, days, overrides));
      return (await a.trend(pupilId)).json();
    };
    const tenPercent = await figures(['2026-10-05 AM']);
    expect(tenPercent).toMatchObject({ totals: { possible: 10, attended: 9, rate: 90 }, persistentAbsence: true });
    expect(tenPercent.severeAbsence).toBe(false);

    const { pupilId } = await a.registerPupil();
    await a.mark(register(pupilId, [...days, '2026-10-12'], { '2026-10-05 AM': 'O', '2026-10-12 PM': 'X' }));
    expect((await a.trend(pupilId)).json()).toMatchObject({
      totals: { possible: 11, attended: 10, rate: 90.9 },
      persistentAbsence: false,
    });

    const fifty = await figures(['2026-10-05 AM', '2026-10-05 PM', '2026-10-06 AM', '2026-10-06 PM', '2026-10-07 AM']);
    expect(fifty).toMatchObject({ totals: { possible: 10, attended: 5, rate: 50 }, severeAbsence: true });
    const forty = await figures(['2026-10-05 AM', '2026-10-05 PM', '2026-10-06 AM', '2026-10-06 PM']);
    expect(forty).toMatchObject({ totals: { rate: 60 }, persistentAbsence: true, severeAbsence: false });
  });

  it('gives the figures as the register stood at a past instant, corrections and backdated marks included', async () => {
    const { pupilId } = await a.registerPupil();
    t.setNow('2026-10-05T16:00:00.000Z');
    await a.mark(register(pupilId, ['2026-10-05'], { '2026-10-05 PM': 'N' }));
    t.setNow('2026-10-07T10:00:00.000Z');
    await a.mark([{ pupilId, date: '2026-10-05', session: 'PM', code: 'M', reason: 'Appointment card seen.' }]);
    t.setNow('2026-10-09T10:00:00.000Z');
    await a.mark(register(pupilId, ['2026-10-02']));
    t.setNow(NOW);

    const at = async (instant?: string) =>
      (await a.trend(pupilId, instant ? `year=2026&asRecordedAt=${encodeURIComponent(instant)}` : 'year=2026')).json();
    expect((await at('2026-10-05T15:59:59.999Z')).totals).toMatchObject({ possible: 0, rate: null });
    expect(await at('2026-10-06T00:00:00.000+01:00')).toMatchObject({
      asRecordedAt: '2026-10-06T00:00:00.000+01:00',
      totals: { possible: 2, attended: 1, unauthorisedAbsence: 1, authorisedAbsence: 0 },
    });
    expect((await at('2026-10-08T00:00:00Z')).totals).toMatchObject({
      possible: 2,
      unauthorisedAbsence: 0,
      authorisedAbsence: 1,
    });
    const now = await at();
    expect(now.totals).toMatchObject({ possible: 4, attended: 3, authorisedAbsence: 1 });
    expect(now.weeks.map((w: { weekStart: string }) => w.weekStart)).toEqual(['2026-09-28', '2026-10-05']);
  });

  it('keeps each earlier version of a mark corrected twice, even when the clock ran back between corrections', async () => {
    const { pupilId } = await a.registerPupil();
    t.setNow('2026-10-12T16:00:00.000Z');
    await a.mark([{ pupilId, date: '2026-10-12', session: 'AM', code: 'N' }]);
    t.setNow('2026-10-14T10:00:00.000Z');
    await a.mark([{ pupilId, date: '2026-10-12', session: 'AM', code: 'M', reason: 'Appointment card seen.' }]);
    t.setNow('2026-10-13T10:00:00.000Z');
    await a.mark([{ pupilId, date: '2026-10-12', session: 'AM', code: '/', reason: 'Was in school after all.' }]);
    t.setNow(NOW);

    const totals = async (instant?: string) =>
      (await a.trend(pupilId, instant ? `year=2026&asRecordedAt=${encodeURIComponent(instant)}` : 'year=2026')).json()
        .totals;
    expect(await totals('2026-10-12T17:00:00Z')).toMatchObject({ possible: 1, unauthorisedAbsence: 1 });
    expect(await totals('2026-10-13T12:00:00Z')).toMatchObject({ possible: 1, attended: 1 });
    // Every version is known by then; the last recorded, not the latest clock reading, is in force.
    expect(await totals('2026-10-15T00:00:00Z')).toMatchObject({ possible: 1, attended: 1, authorisedAbsence: 0 });
    expect(await totals()).toMatchObject({ possible: 1, attended: 1, authorisedAbsence: 0 });
  });

  it('counts the year from the admission date when the pupil joined after 1 August', async () => {
    const { pupilId } = await a.registerPupil({ admissionDate: '2026-09-09' });
    const beforeAdmission = await a.mark(register(pupilId, ['2026-09-08']));
    expect(beforeAdmission.statusCode).toBe(422);
    expect(beforeAdmission.json().rule).toBe('pupil-on-roll');
    await a.mark(register(pupilId, weekdays('2026-09-09', '2026-09-11'), { '2026-09-09 AM': 'O' }));
    expect((await a.trend(pupilId)).json()).toMatchObject({
      from: '2026-09-09',
      totals: { possible: 6, attended: 5, notCounted: 0 },
    });
  });

  it("answers 404 for another LA's pupil and for school staff of a school the pupil is not on the roll of", async () => {
    const { pupilId } = await a.registerPupil({ schoolUrn: '100001' });
    expect((await a.trend(pupilId, 'year=2026', otherTenantOfficer)).statusCode).toBe(404);
    expect((await a.trend(pupilId, 'year=2026', staffAt('100002'))).statusCode).toBe(404);
    expect((await a.trend(pupilId, 'year=2026', staffAt('100001'))).statusCode).toBe(200);
    expect((await a.picture(pupilId, 'year=2026', otherTenantOfficer)).statusCode).toBe(404);
  });

  it('reads the current academic year when none is given, and refuses a malformed instant', async () => {
    const { pupilId } = await a.registerPupil();
    expect((await a.trend(pupilId, '')).json()).toMatchObject({ academicYear: 2026 });
    const bad = await a.trend(pupilId, 'asRecordedAt=yesterday');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].pointer).toBe('/querystring/asRecordedAt');
  });
});
