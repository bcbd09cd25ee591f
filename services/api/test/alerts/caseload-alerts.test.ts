import type { CaseloadAlert } from '@small-steps/contracts';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Principal } from '../../src/auth/principal.ts';
import { type ClockedApp, startClockedApp } from '../attendance/attendance-given.ts';
import { describeEachDatabase, officer, otherTenantOfficer, staffAt } from '../fixtures/test-app.ts';
import { plansOf } from '../plans/plan-given.ts';

// Tuesday 20 October 2026, 9 am in England: the day every event below is recorded.
const NOW = '2026-10-20T08:00:00.000Z';
const laSystem: Principal = { id: 'case-system-801', role: 'la_system', tenant: '801' };

// Caseload alerts are kept by the projection worker, here inside the API process (RUN_PROJECTIONS).
describeEachDatabase('caseload alerts', (factory) => {
  let t: ClockedApp;
  let plans: ReturnType<typeof plansOf>;
  const planIds: { gathering: string[]; otherSchool: string; active: string } = {
    gathering: [],
    otherSchool: '',
    active: '',
  };

  const get = async (url: string, as: Principal = officer) =>
    t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${await t.token(as)}` } });
  const list = async (
    query = '',
    as: Principal = officer,
  ): Promise<{ items: CaseloadAlert[]; next: string | null }> => {
    const response = await get(`/v1/caseload/alerts?${query}`, as);
    if (response.statusCode !== 200) throw new Error(`alerts answered ${response.statusCode}: ${response.body}`);
    return response.json();
  };
  const all = async (query = '', as: Principal = officer) => {
    const items: CaseloadAlert[] = [];
    let cursor: string | null = null;
    do {
      const page = await list([query, cursor ? `cursor=${cursor}` : ''].filter(Boolean).join('&'), as);
      items.push(...page.items);
      cursor = page.next;
    } while (cursor !== null);
    return items;
  };

  beforeAll(async () => {
    t = await startClockedApp(factory, NOW, { RUN_PROJECTIONS: 'true' }, { clockedStore: true });
    plans = plansOf(t);
    // Opened on 7 September and still gathering on 20 October: more than four school weeks.
    for (let i = 0; i < 3; i++) planIds.gathering.push(await plans.openPlan('100001'));
    planIds.otherSchool = await plans.openPlan('100002');
    // Active since 11 September: no family contact since, and step 1 never practised.
    planIds.active = await plans.activePlan();
    // A commit on a shared server can hold the runner's read horizon back for a while.
    const deadline = Date.now() + 60_000;
    while ((await all()).length < 6) {
      if (Date.now() > deadline) throw new Error(`only ${(await all()).length} alerts`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });
  afterAll(async () => t?.close());

  it("lists the LA's open alerts with why, since when and a link to the plan, and nothing personal", async () => {
    const response = await get('/v1/caseload/alerts?limit=50');
    expect(response.headers['cache-control']).toBe('no-store');
    const { items, next } = response.json();
    expect(next).toBeNull();
    expect(items.map((a: CaseloadAlert) => `${a.planId}:${a.kind}`).sort()).toEqual(
      [
        ...[...planIds.gathering, planIds.otherSchool].map((id) => `${id}:gathering_too_long`),
        `${planIds.active}:current_step_not_practised`,
        `${planIds.active}:no_family_contact`,
      ].sort(),
    );
    expect(items.find((a: CaseloadAlert) => a.kind === 'no_family_contact')).toEqual({
      planId: planIds.active,
      kind: 'no_family_contact',
      reason: 'No contact with the family recorded for 39 days (since the plan became active).',
      since: '2026-09-25',
      schoolUrn: '100001',
      raisedAt: NOW,
      links: { plan: `/v1/plans/${planIds.active}` },
    });
    for (const personal of ['Sam', 'Taylor', 'Patel', 'Has not attended', 'full day']) {
      expect(response.body).not.toContain(personal);
    }
  });

  it('pages in a stable order, oldest condition first, and filters by kind and school', async () => {
    const paged = await all('limit=2');
    expect(paged).toEqual((await list('limit=50')).items);
    expect(paged.map((a) => a.since)).toEqual(paged.map((a) => a.since).sort());
    expect((await list('limit=2')).items).toHaveLength(2);
    expect((await all('kind=no_family_contact')).map((a) => a.planId)).toEqual([planIds.active]);
    expect((await all('schoolUrn=100002')).map((a) => a.planId)).toEqual([planIds.otherSchool]);
  });

  it('shows school staff only the plans their school takes part in, and LA systems their LA', async () => {
    expect((await all('', staffAt('100002'))).map((a) => a.planId)).toEqual([planIds.otherSchool]);
    expect((await all('', staffAt('100001'))).map((a) => a.planId)).not.toContain(planIds.otherSchool);
    expect(await all('', laSystem)).toHaveLength(6);
  });

  it("never shows another LA's alerts, and refuses roles with no caseload", async () => {
    expect(await all('', otherTenantOfficer)).toEqual([]);
    const history = `/v1/caseload/alerts/history?planId=${planIds.active}`;
    expect((await get(history, otherTenantOfficer)).statusCode).toBe(404);
    expect((await get(history, staffAt('100002'))).statusCode).toBe(404);
    for (const role of ['analyst', 'auditor', 'admin'] as const) {
      const caller: Principal = { id: `${role}-1`, role, tenant: '801' };
      expect((await get('/v1/caseload/alerts', caller)).statusCode).toBe(403);
      expect((await get(history, caller)).statusCode).toBe(403);
    }
    expect((await t.app.inject({ method: 'GET', url: '/v1/caseload/alerts' })).statusCode).toBe(401);
  });

  it('keeps the history: the gathering alert an activated plan had, raised and cleared', async () => {
    const response = await get(`/v1/caseload/alerts/history?planId=${planIds.active}`);
    expect(response.statusCode).toBe(200);
    const gathering = response.json().items.find((a: { kind: string }) => a.kind === 'gathering_too_long');
    expect(gathering).toMatchObject({ raisedAt: NOW, clearedAt: NOW, since: '2026-10-05' });
  });

  it('refuses a cursor it did not give out and limits out of range', async () => {
    expect((await get('/v1/caseload/alerts?cursor=bm9wZQ')).statusCode).toBe(400);
    expect((await get('/v1/caseload/alerts?limit=1000')).statusCode).toBe(400);
    expect((await get('/v1/caseload/alerts?kind=everything')).statusCode).toBe(400);
    expect((await get('/v1/caseload/alerts/history?planId=nope')).statusCode).toBe(400);
  });
});
