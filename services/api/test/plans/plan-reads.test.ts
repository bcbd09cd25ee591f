import { openVault } from '@small-steps/application';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, staffAt, startTestApp, type TestApp } from '../fixtures/test-app.ts';
import { attempt, plansOf } from './plan-given.ts';

const withoutRaised = ({ advisoriesRaised: _raised, ...plan }: Record<string, unknown>) => plan;

describeEachDatabase('plan reads', (factory) => {
  let t: TestApp;
  let plans: ReturnType<typeof plansOf>;
  beforeAll(async () => {
    t = await startTestApp(factory);
    plans = plansOf(t);
  });
  afterAll(async () => t?.close());

  it('reads its own writes: the plan as the last command answered, with its ETag', async () => {
    const planId = await plans.activePlan();
    const answered = await plans.command(planId, '/steps/step-1/start', {});
    const read = await plans.get(`/v1/plans/${planId}`);
    expect(read.statusCode).toBe(200);
    expect(read.headers.etag).toBe(`"${answered.version}"`);
    expect(read.json()).toEqual(withoutRaised(answered));
  });

  it('answers 304 with no body when the copy named by If-None-Match is current, and the plan once it moved on', async () => {
    const planId = await plans.activePlan();
    const first = await plans.get(`/v1/plans/${planId}`);
    const etag = String(first.headers.etag);
    const same = await plans.get(`/v1/plans/${planId}`, { headers: { 'if-none-match': `"0", W/${etag}` } });
    expect(same.statusCode).toBe(304);
    expect(same.body).toBe('');
    expect(same.headers.etag).toBe(etag);
    await plans.command(planId, '/steps/step-1/start', {});
    const moved = await plans.get(`/v1/plans/${planId}`, { headers: { 'if-none-match': etag } });
    expect(moved.statusCode).toBe(200);
    expect(moved.headers.etag).not.toBe(etag);
    expect(moved.json().version).toBeGreaterThan(first.json().version);
    // A plan as it stood is not revalidated: it has no ETag.
    const asOf = await plans.get(`/v1/plans/${planId}?asOf=${new Date().toISOString()}`, {
      headers: { 'if-none-match': '*' },
    });
    expect(asOf.statusCode).toBe(200);
  });

  it('answers an unknown plan with a 404', async () => {
    const res = await plans.get('/v1/plans/00000000-0000-4000-8000-000000000000');
    expect(res.statusCode).toBe(404);
    expect(res.json().type).toBe('https://small-steps.org.uk/problems/not-found');
  });

  it('lists plans by status, school and pupil, a page at a time', async () => {
    const atSchool = [
      await plans.openPlan('100006'),
      await plans.activePlan(undefined, '100006'),
      await plans.openPlan('100006'),
    ];
    const seen: string[] = [];
    let url = '/v1/plans?schoolUrn=100006&limit=2';
    for (let pages = 0; pages < 5; pages++) {
      const page = (await plans.get(url)).json();
      seen.push(...page.items.map((p: { planId: string }) => p.planId));
      if (!page.next) break;
      url = `/v1/plans?schoolUrn=100006&limit=2&cursor=${page.next}`;
    }
    expect(seen).toEqual(atSchool);
    const active = (await plans.get('/v1/plans?schoolUrn=100006&status=active')).json();
    expect(active.items.map((p: { planId: string }) => p.planId)).toEqual([atSchool[1]]);
    const pupilId = (await plans.get(`/v1/plans/${atSchool[2]}`)).json().pupilId;
    const byPupil = (await plans.get(`/v1/plans?pupilId=${pupilId}`)).json();
    expect(byPupil.items.map((p: { planId: string }) => p.planId)).toEqual([atSchool[2]]);
    const staff = (await plans.get('/v1/plans?limit=200', { as: staffAt('100006') })).json();
    expect(staff.items.map((p: { planId: string }) => p.planId)).toEqual(atSchool);
  });

  it('lists the plans changed since an instant, in the same stable order', async () => {
    const [first, second, third] = [
      await plans.openPlan('100007'),
      await plans.openPlan('100007'),
      await plans.openPlan('100007'),
    ];
    const since = new Date(Date.now() + 1).toISOString();
    await new Promise((resolve) => setTimeout(resolve, 5));
    await plans.command(third!, '/views', { role: 'pupil', worries: 'Noise.', whatHelps: 'Quiet.', hopes: 'Friends.' });
    await plans.command(first!, '/views', { role: 'pupil', worries: 'Noise.', whatHelps: 'Quiet.', hopes: 'Friends.' });
    const changed = (await plans.get(`/v1/plans?schoolUrn=100007&updatedSince=${since}`)).json();
    expect(changed.items.map((p: { planId: string }) => p.planId)).toEqual([first, third]);
    expect(changed.items.map((p: { planId: string }) => p.planId)).not.toContain(second);
    expect((await plans.get('/v1/plans?updatedSince=yesterday')).statusCode).toBe(400);
  });

  it('refuses a list cursor it did not give out', async () => {
    const res = await plans.get('/v1/plans?cursor=bm9wZQ');
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].pointer).toBe('/querystring/cursor');
    // Well formed, but past any position the log can hold: not one it gave out either.
    const past = Buffer.from('p:9999999999999999999').toString('base64url');
    expect((await plans.get(`/v1/plans?cursor=${past}`)).statusCode).toBe(400);
    const planId = await plans.openPlan();
    const version = Buffer.from('v:99999999999').toString('base64url');
    expect((await plans.get(`/v1/plans/${planId}/events?cursor=${version}`)).statusCode).toBe(400);
  });

  it("shows the plan's history: who, when recorded, when it happened, why, and the personal part apart", async () => {
    const planId = await plans.openPlan();
    await plans.command(planId, '/groundwork/rapport/waiver', {
      reason: 'Rapport is already strong.',
      waivedBy: { id: 'person-senco', name: 'Mrs Okafor', role: 'senco' },
      occurredOn: '2026-09-08',
    });
    const history = (await plans.get(`/v1/plans/${planId}/events`)).json();
    expect(history.next).toBeNull();
    const [opened, waived] = history.items;
    expect(opened).toMatchObject({
      type: 'PlanOpened',
      version: 1,
      schemaVersion: 1,
      occurredOn: '2026-09-07',
      isBackdated: true,
      actor: { id: 'officer-1', role: 'la_officer' },
      reason: null,
      data: { planId, keyAdult: { id: 'person-key-adult' } },
      personal: { keyAdult: { name: 'Ms Patel' }, presentingConcern: 'Has not attended since the summer.' },
    });
    expect(Date.parse(opened.recordedAt)).toBeLessThanOrEqual(Date.now());
    expect(waived).toMatchObject({
      type: 'GroundworkWaived',
      version: 2,
      occurredOn: '2026-09-08',
      reason: 'Rapport is already strong.',
      data: { area: 'rapport', waivedBy: { id: 'person-senco', role: 'senco' } },
      personal: { reason: 'Rapport is already strong.', waivedBy: { name: 'Mrs Okafor' } },
    });
    expect(JSON.stringify(waived.data)).not.toContain('Okafor');
  });

  it('pages through a long history', async () => {
    const planId = await plans.activePlan();
    const versions: number[] = [];
    let url = `/v1/plans/${planId}/events?limit=4`;
    for (let pages = 0; pages < 10; pages++) {
      const page = (await plans.get(url)).json();
      versions.push(...page.items.map((e: { version: number }) => e.version));
      if (!page.next) break;
      url = `/v1/plans/${planId}/events?limit=4&cursor=${page.next}`;
    }
    const version = (await plans.get(`/v1/plans/${planId}`)).json().version;
    expect(versions).toEqual(Array.from({ length: version }, (_, i) => i + 1));
  });

  it("stores names and free text in the personal part of each event, sealed under the pupil's key", async () => {
    const planId = await plans.activePlan();
    await plans.command(planId, '/steps/step-1/start', {});
    await plans.command(planId, '/steps/step-1/attempts', attempt({ pupilWords: 'Wobbly at first.' }));
    const events = await t.store.readStream(`plan-${planId}`);
    const attempted = events.at(-1)!;
    expect(attempted.personal).toMatchObject({
      sealed: 1,
      class: 'records',
      shape: { supportsUsed: [], pupilWords: 0 },
    });
    expect(await openVault(t.db, t.config.masterKey).open(attempted.personal)).toEqual({
      supportsUsed: [],
      pupilWords: 'Wobbly at first.',
    });
    expect(attempted.data).not.toHaveProperty('pupilWords');
    const stored = JSON.stringify(events.map((e) => [e.data, e.personal]));
    for (const text of ['Ms Patel', 'Ms Reid', 'The noise.', 'A full day at school.', 'Has not attended', 'Wobbly']) {
      expect(stored).not.toContain(text);
    }
    // The plan still reads as it was recorded.
    const plan = (await plans.get(`/v1/plans/${planId}`)).json();
    expect(plan.goals[0].ladder[0].attempts[0].pupilWords).toBe('Wobbly at first.');
  });

  it('reads the plan as it stood at an instant, and at the latest instant it equals the live plan', async () => {
    const planId = await plans.activePlan();
    const before = new Date();
    const asItStood = (await plans.get(`/v1/plans/${planId}`)).json();
    await new Promise((resolve) => setTimeout(resolve, 5));
    await plans.command(planId, '/steps/step-1/start', {});
    await plans.command(planId, '/steps/step-1/attempts', attempt());

    const then = await plans.get(`/v1/plans/${planId}?asOf=${before.toISOString()}`);
    expect(then.statusCode).toBe(200);
    expect(then.json()).toEqual(asItStood);

    const live = (await plans.get(`/v1/plans/${planId}`)).json();
    const latest = (await t.store.readStream(`plan-${planId}`)).at(-1)!.recordedAt;
    const now = (await plans.get(`/v1/plans/${planId}?asOf=${latest.toISOString()}`)).json();
    expect(now).toEqual(live);
    expect(now.version).toBe(asItStood.version + 2);
  });

  it("carries a step's latest 20 attempts and their count; the rest are read a page at a time", async () => {
    const planId = await plans.activePlan();
    await plans.command(planId, '/steps/step-1/start', {});
    for (let n = 1; n <= 25; n++) {
      await plans.command(planId, '/steps/step-1/attempts', attempt({ pupilWords: `Try ${n}.` }));
    }
    const answered = await plans.command(planId, '/steps/step-1/attempts', attempt({ pupilWords: 'Try 26.' }));
    const read = (await plans.get(`/v1/plans/${planId}`)).json();
    expect(read).toEqual(withoutRaised(answered));
    const [step] = read.goals[0].ladder;
    expect(step.attemptCount).toBe(26);
    expect(step.attempts.map((a: { pupilWords: string }) => a.pupilWords)).toEqual(
      Array.from({ length: 20 }, (_, i) => `Try ${i + 7}.`),
    );
    expect(step.habituation).toHaveLength(20);
    const asOf = (await plans.get(`/v1/plans/${planId}?asOf=${new Date().toISOString()}`)).json();
    expect(asOf.goals[0].ladder[0]).toEqual(step);

    const all: { number: number; pupilWords: string | null }[] = [];
    let url = `/v1/plans/${planId}/steps/step-1/attempts?limit=10`;
    for (let pages = 0; pages < 5; pages++) {
      const page = (await plans.get(url)).json();
      all.push(...page.items);
      if (!page.next) break;
      url = `/v1/plans/${planId}/steps/step-1/attempts?limit=10&cursor=${page.next}`;
    }
    expect(all.map((a) => a.number)).toEqual(Array.from({ length: 26 }, (_, i) => i + 1));
    expect(all[0]).toMatchObject({ number: 1, minutes: 15, pupilWords: 'Try 1.', outcome: 'completed' });
    // A cursor past every attempt is an empty page; one no attempt number can reach is not a cursor.
    const past = Buffer.from('n:2147483000').toString('base64url');
    expect((await plans.get(`/v1/plans/${planId}/steps/step-1/attempts?cursor=${past}`)).json()).toEqual({
      items: [],
      next: null,
    });
    const huge = Buffer.from('n:99999999999999999999').toString('base64url');
    const refused = await plans.get(`/v1/plans/${planId}/steps/step-1/attempts?cursor=${huge}`);
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({ type: expect.stringContaining('validation') });

    expect((await plans.get(`/v1/plans/${planId}/steps/step-9/attempts`)).statusCode).toBe(404);
    expect((await plans.get(`/v1/plans/${planId}/steps/step-1/attempts`, { as: staffAt('999999') })).statusCode).toBe(
      404,
    );
  });

  it('answers a plan not yet opened at that instant with a 404', async () => {
    const planId = await plans.openPlan();
    const res = await plans.get(`/v1/plans/${planId}?asOf=2020-01-01T00:00:00Z`);
    expect(res.statusCode).toBe(404);
  });

  it('keeps names and free text out of the logs', async () => {
    const planId = await plans.openPlan();
    const view = { role: 'pupil', worries: 'Quibblewick moment', whatHelps: 'Quiet.', hopes: 'Friends.' };
    expect((await plans.post(`/v1/plans/${planId}/views`, { ...view, role: 'nobody' })).statusCode).toBe(400);
    await plans.command(planId, '/views', view);
    const text = t.logs.join('');
    expect(text).toContain('request');
    for (const secret of ['Quibblewick', 'Ms Patel', 'Has not attended']) expect(text).not.toContain(secret);
  });
});
