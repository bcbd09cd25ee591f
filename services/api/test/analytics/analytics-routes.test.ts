import type { Principal } from '@small-steps/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { register, weekdays } from '../attendance/attendance-given.ts';
import { describeEachDatabase, officer, otherTenantOfficer, startTestApp, type TestApp } from '../fixtures/test-app.ts';
import { analyst, caughtUp, type SeededPupil, secondPlan, seedPlans } from './analytics-given.ts';

const otherAnalyst: Principal = { ...analyst, id: 'analyst-9', tenant: '802' };
const admin: Principal = { id: 'admin-1', role: 'admin', tenant: '801' };

const ANALYTICS_URLS = [
  '/v1/analytics/plans',
  '/v1/analytics/plans?by=yearGroup',
  '/v1/analytics/plans?by=senNeed&schoolUrn=100001',
  '/v1/analytics/plan-outcomes',
  '/v1/analytics/plan-outcomes?by=yearGroup&yearGroup=7',
  '/v1/analytics/plan-outcomes?by=senNeed&senNeed=SEMH',
  '/v1/analytics/attendance',
  '/v1/analytics/attendance?by=yearGroup&academicYear=2026',
  '/v1/analytics/attendance?schoolUrn=100002&from=2026-09-01&to=2026-10-31',
];

describeEachDatabase('analytics for analysts', (factory) => {
  let t: TestApp;
  let seeded: SeededPupil[];
  const bodies: string[] = [];
  const get = async (url: string, as: Principal = analyst, accept = 'application/json') => {
    const response = await t.app.inject({
      method: 'GET',
      url,
      headers: { authorization: `Bearer ${await t.token(as)}`, accept },
    });
    bodies.push(response.body);
    return response;
  };

  beforeAll(async () => {
    t = await startTestApp(factory, { RUN_PROJECTIONS: 'true', RATE_LIMIT_PER_MINUTE: '100000' }, undefined, {
      clock: () => new Date('2026-12-01T15:00:00Z'),
    });
    seeded = [
      ...(await seedPlans(t, { schoolUrn: '100001', count: 8, closed: 5, firstSerial: 201 })),
      ...(await seedPlans(t, { schoolUrn: '100002', count: 2, closed: 0, firstSerial: 211 })),
      ...(await seedPlans(t, { schoolUrn: '100009', count: 1, closed: 0, firstSerial: 221, as: otherTenantOfficer })),
    ];
    // LA 802 also has four pupils whose plans closed, one of whom had a second plan, closed too.
    const reopened = await seedPlans(t, {
      schoolUrn: '100009',
      count: 4,
      closed: 4,
      firstSerial: 231,
      as: otherTenantOfficer,
    });
    await secondPlan(t, reopened[0]!, otherTenantOfficer);
    seeded.push(...reopened);
    await caughtUp(t, 'analytics');
  }, 300_000);
  afterAll(async () => t?.close());

  it('counts plans by status per school, hiding small cells and any that would give one away', async () => {
    const response = await get('/v1/analytics/plans');
    expect(response.statusCode).toBe(200);
    // 100001: 3 active, 5 closed; 100002: 2 active. The two schools' closed counts would give each
    // other away through the total, so both go; so do the row totals (8 from 10 leaves 2).
    expect(response.json()).toEqual({
      by: 'school',
      rows: [
        { group: '100001', counts: { gathering: 'c', active: 'c', paused: 'c', closed: 'c' }, total: 'c' },
        { group: '100002', counts: { gathering: 'c', active: 'c', paused: 'c', closed: 'c' }, total: 'c' },
      ],
      totals: { group: 'total', counts: { gathering: 'c', active: 5, paused: 'c', closed: 5 }, total: 10 },
    });
  });

  it('hides a count by the pupils behind it: five closed plans of four pupils, one of whom had two', async () => {
    const hidden = { gathering: 'c', active: 'c', paused: 'c', closed: 'c' };
    // Six plans of five pupils: the total shows; five closed plans of four pupils do not.
    expect((await get('/v1/analytics/plans', otherAnalyst)).json()).toEqual({
      by: 'school',
      rows: [{ group: '100009', counts: hidden, total: 6 }],
      totals: { group: 'total', counts: hidden, total: 6 },
    });
    const { totals } = (await get('/v1/analytics/plan-outcomes', otherAnalyst)).json();
    expect(totals.closed).toMatchObject({ returned_full_time: 'c', total: 'c' });
    // Five plans with a mastered step, each of its own pupil (the second plan has none).
    expect(totals.plansWithMasteredStep).toBe(5);
  });

  it('gives outcomes, the median weeks to first mastery and the share whose attendance rose', async () => {
    const { totals } = (await get('/v1/analytics/plan-outcomes')).json();
    expect(totals).toMatchObject({
      group: 'total',
      closed: { returned_full_time: 5, total: 5 },
      plansWithMasteredStep: 10,
      medianWeeksToFirstMasteredStep: 1.1,
      attendanceRose: 5,
      attendanceDidNotRise: 5,
      attendanceRoseShare: 50,
    });
  });

  it("shows or hides a group's closed plans alike by status and by outcome, under every grouping", async () => {
    for (const by of ['school', 'yearGroup', 'senNeed']) {
      const status = (await get(`/v1/analytics/plans?by=${by}`)).json();
      const outcomes = (await get(`/v1/analytics/plan-outcomes?by=${by}`)).json();
      type Line = { group: string; counts: { closed: unknown } };
      const closedByStatus = [...status.rows, status.totals].map((row: Line) => [row.group, row.counts.closed]);
      const closedByOutcome = [...outcomes.rows, outcomes.totals].map(
        (row: { group: string; closed: { total: unknown } }) => [row.group, row.closed.total],
      );
      expect(closedByOutcome, by).toEqual(closedByStatus);
    }
  });

  it('gives attendance week by week with persistent and severe absence over the year to date', async () => {
    const { academicYear, rows } = (await get('/v1/analytics/attendance')).json();
    expect(academicYear).toBe(2026);
    const week = rows.filter((row: { weekStart: string }) => row.weekStart === '2026-11-23');
    // Half the pupils attend every session, half every morning only.
    expect(week.find((row: { group: string }) => row.group === 'total')).toMatchObject({ pupils: 10, rate: 75 });
    expect(week.find((row: { group: string }) => row.group === '100002')).toMatchObject({
      pupils: 'c',
      rate: 'c',
      severeAbsence: 'c',
    });
  });

  it('answers the same table as CSV (RFC 4180) with a header row', async () => {
    const response = await get('/v1/analytics/plans', analyst, 'text/csv');
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.body).toBe(
      'school,gathering,active,paused,closed,total\r\n100001,c,c,c,c,c\r\n100002,c,c,c,c,c\r\ntotal,c,5,c,5,10\r\n',
    );
    const outcomes = (await get('/v1/analytics/plan-outcomes', analyst, 'text/csv')).body.split('\r\n');
    expect(outcomes[0]).toMatch(/^school,closed_returned_full_time,.*,attendance_rose_share$/);
    expect(outcomes.at(-2)).toMatch(/^total,5,.*,10,1\.1,5,5,50$/);
  });

  it("shows an LA's analyst only their LA, and admins too; other roles may not read analytics", async () => {
    expect((await get('/v1/analytics/plans', otherAnalyst)).json().totals.total).toBe(6);
    expect((await get('/v1/analytics/plans', otherAnalyst)).json().rows.map((r: { group: string }) => r.group)).toEqual(
      ['100009'],
    );
    expect(JSON.stringify((await get('/v1/analytics/plans')).json())).not.toContain('100009');
    expect((await get('/v1/analytics/plans', admin)).statusCode).toBe(200);
    expect((await get('/v1/analytics/plans', officer)).statusCode).toBe(403);
  });

  it('refuses unknown or invalid query parameters with 400', async () => {
    for (const url of [
      '/v1/analytics/plans?pupilId=1',
      '/v1/analytics/plans?by=pupil',
      '/v1/analytics/plan-outcomes?senNeed=NOPE',
      '/v1/analytics/attendance?by=senNeed',
      '/v1/analytics/attendance?academicYear=1900',
      '/v1/analytics/attendance?from=2026-13-01',
    ]) {
      expect((await get(url)).statusCode, url).toBe(400);
    }
  });

  it("counts a pupil on two schools' rolls once in their year group, and at each school by school", async () => {
    const auth = { authorization: `Bearer ${await t.token(officer)}` };
    const [dual] = seeded;
    const admitted = await t.app.inject({
      method: 'POST',
      url: `/v1/pupils/${dual!.pupilId}/admissions`,
      headers: auth,
      payload: { schoolUrn: '100003', admissionDate: '2026-11-23' },
    });
    expect(admitted.statusCode, admitted.body).toBe(200);
    const marks = register(dual!.pupilId, weekdays('2026-11-23', '2026-11-27'), { '2026-11-23 AM': 'O' });
    const marked = await t.app.inject({
      method: 'POST',
      url: '/v1/attendance/marks',
      headers: auth,
      payload: { schoolUrn: '100003', marks },
    });
    expect(marked.statusCode, marked.body).toBe(200);
    await caughtUp(t, 'analytics');
    const weekOf = async (url: string) =>
      (await get(url)).json().rows.filter((row: { weekStart: string }) => row.weekStart === '2026-11-23');
    // Year 7: four pupils at 100001 and one at 100002; the fifth's second roll adds no pupil.
    const byYear = await weekOf('/v1/analytics/attendance?by=yearGroup');
    expect(byYear.map((row: { group: string; pupils: unknown }) => [row.group, row.pupils])).toEqual([
      ['7', 5],
      ['8', 5],
      ['total', 10],
    ]);
    // By school, each school counts the pupils on its roll: the pupil is at 100001 and at 100003.
    const bySchool = await weekOf('/v1/analytics/attendance?schoolUrn=100001');
    expect(bySchool.find((row: { group: string }) => row.group === '100001')).toMatchObject({ pupils: 8 });
  });

  describe('walking every route as an analyst', () => {
    it('answers every analytics route and refuses every other /v1 route with 403', async () => {
      const spec = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
      const [pupil] = seeded;
      const walked: string[] = [];
      for (const [path, operations] of Object.entries<Record<string, unknown>>(spec.paths)) {
        if (!path.startsWith('/v1/')) continue;
        for (const method of Object.keys(operations)) {
          const url = path
            .replace('{planId}', pupil!.planId)
            .replace('{pupilId}', pupil!.pupilId)
            .replace(/\{[^}]+\}/g, 'step-1');
          const response = await t.app.inject({
            method: method.toUpperCase() as 'GET',
            url,
            headers: { authorization: `Bearer ${await t.token(analyst)}` },
            ...(method === 'get' ? {} : { payload: {} }),
          });
          bodies.push(response.body);
          walked.push(`${method} ${path}`);
          expect(response.statusCode, `${method} ${path}`).toBe(path.startsWith('/v1/analytics/') ? 200 : 403);
        }
      }
      expect(walked.length).toBeGreaterThan(30);
      for (const path of ['/v1/analytics/plans', '/v1/analytics/plan-outcomes', '/v1/analytics/attendance']) {
        expect(Object.keys(spec.paths[path].get.responses['200'].content), path).toEqual([
          'application/json',
          'text/csv',
        ]);
        expect(spec.paths[path].get.tags, path).toEqual(['analytics']);
      }
      for (const url of ANALYTICS_URLS) {
        expect((await get(url)).statusCode, url).toBe(200);
        expect((await get(url, analyst, 'text/csv')).statusCode, url).toBe(200);
      }
    });

    it('finds none of the personal values it seeded in any answer', () => {
      const everything = bodies.join('\n');
      expect(bodies.length).toBeGreaterThan(40);
      for (const value of seeded.flatMap((pupil) => pupil.personal)) expect(everything).not.toContain(value);
    });
  });
});
