import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Principal } from '../../src/auth/principal.ts';
import { describeEachDatabase, officer, startTestApp, type TestApp } from '../fixtures/test-app.ts';
import { plansOf } from '../plans/plan-given.ts';

const auditor: Principal = { id: 'auditor-1', role: 'auditor', tenant: '801' };
const admin: Principal = { id: 'admin-1', role: 'admin', tenant: '801' };
const laSystem: Principal = { id: 'case-system-801', role: 'la_system', tenant: '801' };

interface AccessRecord {
  at: string;
  actor: { id: string; role: string };
  pupilId: string | null;
  planId: string | null;
  route: string;
  reason: string | null;
}

describeEachDatabase('the access log', (factory) => {
  let t: TestApp;
  let plans: ReturnType<typeof plansOf>;
  beforeAll(async () => {
    t = await startTestApp(factory);
    plans = plansOf(t);
  });
  afterAll(async () => t?.close());

  const accessLog = async (query: string, as: Principal = auditor) => {
    const response = await plans.get(`/v1/audit/access-log?${query}`, { as });
    if (response.statusCode !== 200) throw new Error(`access log answered ${response.statusCode}: ${response.body}`);
    return response.json() as { items: AccessRecord[]; next: string | null };
  };
  /** The records of reads of the pupil's record, by anyone but the auditor reading them. */
  const readsOf = async (pupilId: string) =>
    (await accessLog(`pupilId=${pupilId}&limit=500`)).items.filter((r) => r.actor.id !== auditor.id);

  it("records each read of a pupil's record by a person: who, role, route pattern, plan and reason", async () => {
    const planId = await plans.activePlan();
    const { pupilId } = (await plans.get(`/v1/plans/${planId}`, { as: laSystem })).json();
    const headers = { 'x-access-reason': 'Preparing the review meeting' };
    const reads = [
      `/v1/pupils/${pupilId}`,
      '/v1/pupils?schoolUrn=100001&limit=200',
      `/v1/plans/${planId}`,
      `/v1/plans/${planId}?asOf=2099-01-01T00:00:00Z`,
      `/v1/plans?pupilId=${pupilId}`,
      `/v1/plans/${planId}/events`,
      `/v1/plans/${planId}/observation-patterns`,
      `/v1/plans/${planId}/steps/step-1/attempts`,
      `/v1/plans/${planId}/progress`,
      `/v1/pupils/${pupilId}/attendance`,
      `/v1/pupils/${pupilId}/progress.svg`,
    ];
    for (const url of reads) expect((await plans.get(url, { headers })).statusCode, url).toBe(200);

    const records = await readsOf(pupilId);
    expect(records.map((r) => [r.route, r.planId])).toEqual([
      ['/v1/pupils/:pupilId', null],
      ['/v1/pupils', null],
      ['/v1/plans/:planId', planId],
      ['/v1/plans/:planId', planId],
      ['/v1/plans', planId],
      ['/v1/plans/:planId/events', planId],
      ['/v1/plans/:planId/observation-patterns', planId],
      ['/v1/plans/:planId/steps/:stepId/attempts', planId],
      ['/v1/plans/:planId/progress', planId],
      ['/v1/pupils/:pupilId/attendance', planId],
      ['/v1/pupils/:pupilId/progress.svg', planId],
    ]);
    for (const record of records) {
      expect(record).toMatchObject({
        actor: { id: officer.id, role: 'la_officer' },
        pupilId,
        reason: 'Preparing the review meeting',
      });
    }
  });

  it('records no names, dates of birth or UPNs, only ids', async () => {
    const pupilId = await plans.registerPupil();
    const pupil = (await plans.get(`/v1/pupils?upn=${(await plans.get(`/v1/pupils/${pupilId}`)).json().upn}`)).json();
    expect(pupil.items).toHaveLength(1);
    const rows = await sql`select * from access_log`.execute(t.db);
    const text = JSON.stringify(rows.rows, (_key, value) => (typeof value === 'bigint' ? String(value) : value));
    expect(text).not.toContain('Taylor');
    expect(text).not.toContain('Sam');
    expect(text).not.toContain('2018-03-14');
    expect(text).not.toContain(pupil.items[0].upn);
    expect((await readsOf(pupilId)).map((r) => r.route)).toEqual(['/v1/pupils/:pupilId', '/v1/pupils']);
  });

  it("records an LA system's reads of records not at all, and its reads of the feed once per page", async () => {
    const planId = await plans.openPlan();
    const { pupilId } = (await plans.get(`/v1/plans/${planId}`, { as: laSystem })).json();
    await plans.get(`/v1/plans/${planId}/events`, { as: laSystem });
    expect(await readsOf(pupilId)).toEqual([]);

    const before = (await accessLog(`actor=${laSystem.id}&limit=500`)).items.length;
    await plans.get('/v1/feed?limit=2', { as: laSystem });
    await plans.get('/v1/feed?limit=2', { as: laSystem });
    const pages = (await accessLog(`actor=${laSystem.id}&limit=500`)).items.slice(before);
    expect(pages).toEqual([
      expect.objectContaining({ route: '/v1/feed', pupilId: null, actor: { id: laSystem.id, role: 'la_system' } }),
      expect.objectContaining({ route: '/v1/feed', pupilId: null }),
    ]);
  });

  it('records reads of the log itself, and shows it to auditors and administrators of the LA only', async () => {
    const pupilId = await plans.registerPupil();
    await accessLog(`pupilId=${pupilId}`, admin);
    const own = (await accessLog(`pupilId=${pupilId}&limit=500`)).items;
    expect(own.map((r) => [r.actor.id, r.route])).toEqual([[admin.id, '/v1/audit/access-log']]);
    const elsewhere = await accessLog(`pupilId=${pupilId}`, { ...auditor, tenant: '802' });
    expect(elsewhere.items).toEqual([]);
    expect((await plans.get('/v1/audit/access-log', { as: officer })).statusCode).toBe(403);
  });

  it('pages with a cursor, and keeps a time window', async () => {
    const pupilId = await plans.registerPupil();
    for (let i = 0; i < 5; i++) await plans.get(`/v1/pupils/${pupilId}`);
    const first = await accessLog(`pupilId=${pupilId}&actor=${officer.id}&limit=2`);
    expect(first.items).toHaveLength(2);
    const second = await accessLog(`pupilId=${pupilId}&actor=${officer.id}&limit=2&cursor=${first.next}`);
    expect(second.items).toHaveLength(2);
    const third = await accessLog(`pupilId=${pupilId}&actor=${officer.id}&limit=2&cursor=${second.next}`);
    expect(third).toEqual({ items: [expect.objectContaining({ route: '/v1/pupils/:pupilId' })], next: null });
    const at = first.items[0]!.at;
    expect((await accessLog(`pupilId=${pupilId}&actor=${officer.id}&to=${at}`)).items).toEqual([]);
    const later = new Date(Date.parse(at) + 60_000).toISOString();
    expect((await accessLog(`pupilId=${pupilId}&from=${later}`)).items).toEqual([]);
    expect((await plans.get('/v1/audit/access-log?cursor=bm9wZQ', { as: auditor })).statusCode).toBe(400);
    const past = Buffer.from('a:9999999999999999999').toString('base64url');
    expect((await plans.get(`/v1/audit/access-log?cursor=${past}`, { as: auditor })).statusCode).toBe(400);
  });

  it('records every one of many reads at once, written together', async () => {
    const pupilId = await plans.registerPupil();
    const answers = await Promise.all(Array.from({ length: 40 }, () => plans.get(`/v1/pupils/${pupilId}`)));
    expect(answers.map((a) => a.statusCode)).toEqual(answers.map(() => 200));
    expect(await readsOf(pupilId)).toHaveLength(40);
  });

  it('refuses a reason longer than 200 characters, and records nothing of it', async () => {
    const pupilId = await plans.registerPupil();
    const response = await plans.get(`/v1/pupils/${pupilId}`, { headers: { 'x-access-reason': 'x'.repeat(201) } });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors).toEqual([expect.objectContaining({ pointer: '/headers/x-access-reason' })]);
    expect(await readsOf(pupilId)).toEqual([]);
  });

  it('refuses any change to the log in the database itself', async () => {
    await plans.get(`/v1/pupils/${await plans.registerPupil()}`);
    await expect(sql`update access_log set reason = 'changed'`.execute(t.db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from access_log`.execute(t.db)).rejects.toThrow(/append-only/);
    await expect(sql`truncate access_log`.execute(t.db)).rejects.toThrow(/append-only/);
  });

  it('fails a read whose record cannot be written', async () => {
    const pupilId = await plans.registerPupil();
    const planId = await plans.activePlan();
    const reads = [`/v1/pupils/${pupilId}`, `/v1/plans/${planId}`, `/v1/plans/${planId}/events`];
    await sql`alter table access_log rename to access_log_away`.execute(t.db);
    try {
      for (const url of reads) expect((await plans.get(url)).statusCode, url).toBe(500);
    } finally {
      await sql`alter table access_log_away rename to access_log`.execute(t.db);
    }
    for (const url of reads) expect((await plans.get(url)).statusCode, url).toBe(200);
  });

  it("records nothing of a read that finds nothing: another LA's plan or pupil", async () => {
    const pupilId = await plans.registerPupil();
    const planId = await plans.activePlan();
    const stranger: Principal = { ...officer, id: 'officer-elsewhere', tenant: '802' };
    expect((await plans.get(`/v1/pupils/${pupilId}`, { as: stranger })).statusCode).toBe(404);
    expect((await plans.get(`/v1/plans/${planId}`, { as: stranger })).statusCode).toBe(404);
    const { rows } = await sql`select 1 from access_log where actor_id = 'officer-elsewhere'`.execute(t.db);
    expect(rows).toEqual([]);
  });
});
