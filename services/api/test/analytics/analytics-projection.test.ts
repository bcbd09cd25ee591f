import { afterAll, beforeAll, expect, it } from 'vitest';
import { attendanceOf, register, weekdays } from '../attendance/attendance-given.ts';
import { rowsOf } from '../fixtures/table-rows.ts';
import { describeEachDatabase, officer, startTestApp, type TestApp } from '../fixtures/test-app.ts';
import { ANALYTICS_TABLES, caughtUp, rebuilt, type SeededPupil, seedPlans } from './analytics-given.ts';

// The analytics projection is kept from the log by the runner in the API process (RUN_PROJECTIONS).
describeEachDatabase('the analytics projection', (factory) => {
  let t: TestApp;
  let seeded: SeededPupil[];
  beforeAll(async () => {
    t = await startTestApp(factory, { RUN_PROJECTIONS: 'true', RATE_LIMIT_PER_MINUTE: '100000' }, undefined, {
      clock: () => new Date('2026-12-01T09:00:00Z'),
    });
    seeded = await seedPlans(t, { schoolUrn: '100001', count: 3, closed: 1, firstSerial: 101 });
    await caughtUp(t, 'analytics');
    // A correction in the middle of the term: the weeks from it on are counted again, carrying the
    // year to date on from the weeks before; a rebuild counts the whole year at once.
    const reason = 'Letter from the orthodontist 101';
    const correction = [{ pupilId: seeded[0]!.pupilId, date: '2026-10-14', session: 'PM' as const, code: 'N' }];
    expect((await attendanceOf(t).mark(correction, { reason })).statusCode).toBe(200);
    seeded[0]!.personal.push(reason);
    // The second pupil joins a second school's roll for the last weeks: both schools' weeks of the
    // year are marked as on another roll, live and rebuilt alike.
    const dual = seeded[1]!.pupilId;
    const admitted = await t.app.inject({
      method: 'POST',
      url: `/v1/pupils/${dual}/admissions`,
      headers: { authorization: `Bearer ${await t.token(officer)}` },
      payload: { schoolUrn: '100003', admissionDate: '2026-11-23' },
    });
    expect(admitted.statusCode, admitted.body).toBe(200);
    const atSecond = register(dual, weekdays('2026-11-23', '2026-11-27'));
    expect((await attendanceOf(t).mark(atSecond, { schoolUrn: '100003' })).statusCode).toBe(200);
    await caughtUp(t, 'analytics');
  }, 180_000);
  afterAll(async () => t?.close());

  it('keeps plans, pupils and registers under pseudonyms: no id, name, UPN, date of birth or free text', async () => {
    const live = await rowsOf(t.db, ANALYTICS_TABLES);
    expect(live.analytics_plans).toHaveLength(3);
    expect(live.analytics_pupils).toHaveLength(3);
    expect(live.analytics_plans).toContainEqual(
      expect.objectContaining({ status: 'closed', outcome: 'returned_full_time', first_mastered_on: '2026-09-14' }),
    );
    expect(live.analytics_attendance_weeks!.length).toBeGreaterThanOrEqual(3 * 13);
    expect(live.analytics_attendance_sessions).toContainEqual(
      expect.objectContaining({ date: '2026-10-14', session: 'PM', code: 'N' }),
    );
    const weeks = live.analytics_attendance_weeks as {
      pupil_key: string;
      school_urn: string;
      on_other_roll: boolean;
    }[];
    const onOtherRoll = Map.groupBy(weeks, (week) => String(week.on_other_roll));
    expect(new Set(onOtherRoll.get('true')!.map((week) => week.school_urn))).toEqual(new Set(['100001', '100003']));
    expect(new Set(onOtherRoll.get('true')!.map((week) => week.pupil_key)).size).toBe(1);
    expect(onOtherRoll.get('false')!.length).toBeGreaterThanOrEqual(2 * 13);
    const text = JSON.stringify(live);
    for (const value of seeded.flatMap((pupil) => pupil.personal)) expect(text).not.toContain(value);
  });

  it('equals its rebuild from position 0 into fresh tables', async () => {
    expect(await rebuilt(t, 'analytics')).toEqual(await rowsOf(t.db, ANALYTICS_TABLES));
  });
});
