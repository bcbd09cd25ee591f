import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Principal } from '../../src/auth/principal.ts';
import { describeEachDatabase, otherTenantOfficer, staffAt, startTestApp, type TestApp } from '../fixtures/test-app.ts';
import { agreedBy, plansOf, step } from './plan-given.ts';

const analyst: Principal = { id: 'analyst-1', role: 'analyst', tenant: '801' };
const auditor: Principal = { id: 'auditor-1', role: 'auditor', tenant: '801' };
const problem = (rule: string) => `https://small-steps.org.uk/problems/${rule}`;

describeEachDatabase('plan access and concurrency', (factory) => {
  let t: TestApp;
  let plans: ReturnType<typeof plansOf>;
  beforeAll(async () => {
    t = await startTestApp(factory);
    plans = plansOf(t);
  });
  afterAll(async () => t?.close());

  const observation = { what: 'Calm morning.', tags: [] };

  it("answers another LA's plan with a 404, for reads and commands alike", async () => {
    const planId = await plans.openPlan();
    const as = otherTenantOfficer;
    expect((await plans.get(`/v1/plans/${planId}`, { as })).statusCode).toBe(404);
    expect((await plans.get(`/v1/plans/${planId}?asOf=2030-01-01T00:00:00Z`, { as })).statusCode).toBe(404);
    expect((await plans.get(`/v1/plans/${planId}/events`, { as })).statusCode).toBe(404);
    const command = await plans.post(`/v1/plans/${planId}/coping-strategies`, { strategy: 'Breathing' }, { as });
    expect(command.statusCode).toBe(404);
    expect(command.json().type).toBe(problem('not-found'));
    const list = (await plans.get('/v1/plans?limit=200', { as })).json();
    expect(list.items.map((p: { planId: string }) => p.planId)).not.toContain(planId);
  });

  it('lets staff of a participating school work on the plan, and shows staff of other schools nothing of it', async () => {
    const planId = await plans.openPlan('100001');
    const own = staffAt('100001');
    const other = staffAt('100003');
    expect((await plans.get(`/v1/plans/${planId}`, { as: own })).statusCode).toBe(200);
    expect(
      (await plans.post(`/v1/plans/${planId}/coping-strategies`, { strategy: 'Breathing' }, { as: own })).statusCode,
    ).toBe(200);
    expect((await plans.get(`/v1/plans/${planId}`, { as: other })).statusCode).toBe(404);
    expect((await plans.get(`/v1/plans/${planId}/events`, { as: other })).statusCode).toBe(404);
    expect(
      (await plans.post(`/v1/plans/${planId}/coping-strategies`, { strategy: 'x' }, { as: other })).statusCode,
    ).toBe(404);
    const theirs = (await plans.get('/v1/plans?limit=200', { as: other })).json();
    expect(theirs.items.map((p: { planId: string }) => p.planId)).not.toContain(planId);
  });

  it('opens the plan to the staff of a setting while it takes part, and closes it to them when it leaves', async () => {
    const planId = await plans.openPlan('100001');
    const provider = staffAt('100004');
    await plans.command(planId, '/settings', { urn: '100004', kind: 'alternative_provision' });
    expect((await plans.get(`/v1/plans/${planId}`, { as: provider })).statusCode).toBe(200);
    await plans.command(planId, '/settings/100004/leave', {});
    expect((await plans.get(`/v1/plans/${planId}`, { as: provider })).statusCode).toBe(404);
  });

  it('lets school staff open plans at their own school only', async () => {
    const pupilId = await plans.registerPupil('100001');
    const elsewhere = await plans.post(
      '/v1/plans',
      { ...plans.openBody(pupilId), schoolUrn: '100001' },
      { as: staffAt('100005') },
    );
    expect(elsewhere.statusCode).toBe(422);
    expect(elsewhere.json()).toMatchObject({ rule: 'unknown-reference', errors: [{ pointer: '/body/pupilId' }] });
    const own = await plans.post('/v1/plans', plans.openBody(pupilId), { as: staffAt('100001') });
    expect(own.statusCode).toBe(201);
    expect(own.json().settings).toMatchObject([{ urn: '100001' }]);
  });

  it('refuses analysts plan records, and lets auditors read but not write', async () => {
    const planId = await plans.openPlan();
    const read = await plans.get(`/v1/plans/${planId}`, { as: analyst });
    expect(read.statusCode).toBe(403);
    expect(read.json().type).toBe(problem('forbidden'));
    expect((await plans.get('/v1/plans', { as: analyst })).statusCode).toBe(403);
    expect((await plans.get(`/v1/plans/${planId}/events`, { as: analyst })).statusCode).toBe(403);
    expect((await plans.post(`/v1/plans/${planId}/observations`, observation, { as: analyst })).statusCode).toBe(403);
    expect((await plans.get(`/v1/plans/${planId}/events`, { as: auditor })).statusCode).toBe(200);
    expect((await plans.get(`/v1/plans/${planId}`, { as: auditor })).statusCode).toBe(200);
    expect((await plans.post(`/v1/plans/${planId}/observations`, observation, { as: auditor })).statusCode).toBe(403);
  });

  it('makes a command conditional on If-Match, answering 412 when the plan changed', async () => {
    const planId = await plans.openPlan();
    const read = await plans.get(`/v1/plans/${planId}`);
    expect(read.headers.etag).toBe('"1"');
    await plans.command(planId, '/coping-strategies', { strategy: 'Breathing' });
    const stale = await plans.post(
      `/v1/plans/${planId}/coping-strategies`,
      { strategy: 'Zones' },
      { headers: { 'if-match': '"1"' } },
    );
    expect(stale.statusCode).toBe(412);
    expect(stale.json().type).toBe(problem('precondition-failed'));
    const fresh = await plans.post(
      `/v1/plans/${planId}/coping-strategies`,
      { strategy: 'Zones' },
      { headers: { 'if-match': '"2"' } },
    );
    expect(fresh.statusCode).toBe(200);
    expect(fresh.headers.etag).toBe('"3"');
    expect(fresh.json().version).toBe(3);
  });

  it('answers a retried command with the first response and records it once', async () => {
    const planId = await plans.openPlan();
    const headers = { 'idempotency-key': `observe-${planId}` };
    const first = await plans.post(`/v1/plans/${planId}/coping-strategies`, { strategy: 'Breathing' }, { headers });
    const retry = await plans.post(`/v1/plans/${planId}/coping-strategies`, { strategy: 'Breathing' }, { headers });
    expect(retry.statusCode).toBe(200);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.json()).toEqual(first.json());
    expect(await t.store.streamVersion(`plan-${planId}`)).toBe(2);
    const reused = await plans.post(`/v1/plans/${planId}/coping-strategies`, { strategy: 'Zones' }, { headers });
    expect(reused.statusCode).toBe(422);
    expect(reused.json().type).toBe(problem('idempotency-key-reused'));
  });

  it('opens one plan for a retried open, even after the first succeeded', async () => {
    const pupilId = await plans.registerPupil();
    const headers = { 'idempotency-key': `open-${pupilId}` };
    const first = await plans.post('/v1/plans', plans.openBody(pupilId), { headers });
    const retry = await plans.post('/v1/plans', plans.openBody(pupilId), { headers });
    expect(retry.statusCode).toBe(201);
    expect(retry.json().planId).toBe(first.json().planId);
    const listed = (await plans.get(`/v1/plans?pupilId=${pupilId}`)).json();
    expect(listed.items).toHaveLength(1);
  });

  it('keeps one open plan per pupil, and allows a new one once it is closed', async () => {
    const pupilId = await plans.registerPupil();
    const first = (await plans.post('/v1/plans', plans.openBody(pupilId))).json();
    const second = await plans.post('/v1/plans', plans.openBody(pupilId));
    expect(second.statusCode).toBe(422);
    expect(second.headers['content-type']).toContain('application/problem+json');
    expect(second.json()).toMatchObject({
      type: problem('one-open-plan'),
      status: 422,
      rule: 'one-open-plan',
      detail: 'This pupil already has an open plan: a pupil has one stepped support plan at a time.',
    });
    await plans.command(first.planId, '/close', { outcome: 'other', summary: 'Moved on.' });
    expect((await plans.post('/v1/plans', plans.openBody(pupilId))).statusCode).toBe(201);
  });

  it('refuses a pupil who is not in your records as an unknown reference', async () => {
    const res = await plans.post('/v1/plans', plans.openBody('00000000-0000-4000-8000-000000000000'));
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ rule: 'unknown-reference', errors: [{ pointer: '/body/pupilId' }] });
  });

  it('answers an unknown step, goal, barrier, provision or setting named in the path with a 404', async () => {
    const planId = await plans.activePlan();
    const paths = [
      ['/steps/step-9/start', {}],
      ['/goals/goal-9/steps', { steps: [step(9)], participants: agreedBy }],
      ['/barriers/barrier-9/address', {}],
      ['/provisions/p-9/end', {}],
      ['/settings/100009/leave', {}],
    ] as const;
    for (const [path, body] of paths) {
      const res = await plans.post(`/v1/plans/${planId}${path}`, body);
      expect(res.statusCode, path).toBe(404);
      expect(res.json().detail, path).toMatch(/^This plan has no /);
    }
  });

  it('refuses an unknown id from the body, a reused id and a step in the wrong state with their rules', async () => {
    const planId = await plans.activePlan();
    const strayBarrier = await plans.post(`/v1/plans/${planId}/goals/goal-1/steps`, {
      steps: [step(5, { dependsOn: ['barrier-9'] })],
      participants: agreedBy,
    });
    expect(strayBarrier.json()).toMatchObject({ status: 422, rule: 'unknown-reference' });
    const reused = await plans.post(`/v1/plans/${planId}/goals`, {
      goalId: 'goal-1',
      pupilWords: 'Again.',
      participants: agreedBy,
    });
    expect(reused.json()).toMatchObject({ status: 422, type: problem('duplicate-id'), rule: 'duplicate-id' });
    await plans.command(planId, '/steps/step-1/withdrawal', { reason: 'Not needed.', participants: agreedBy });
    const withdrawn = await plans.post(`/v1/plans/${planId}/steps/step-1/start`, {});
    expect(withdrawn.json()).toMatchObject({
      status: 422,
      rule: 'step-status',
      detail: 'Step 1 was withdrawn from the plan.',
    });
  });

  it('refuses a step out of order in plain words', async () => {
    const planId = await plans.activePlan();
    const res = await plans.post(`/v1/plans/${planId}/steps/step-3/start`, {});
    expect(res.statusCode).toBe(422);
    expect(res.json()).toEqual({
      type: problem('no-skipping'),
      title: 'The request breaks a rule of the plan',
      status: 422,
      detail: 'Step 3 cannot start while step 1 is not mastered: steps are practised in order.',
      instance: expect.any(String),
      rule: 'no-skipping',
    });
  });

  it('refuses a date that is not a date and anxiety out of range before deciding anything', async () => {
    const planId = await plans.activePlan();
    await plans.command(planId, '/steps/step-1/start', {});
    const res = await plans.post(`/v1/plans/${planId}/steps/step-1/attempts`, {
      outcome: 'completed',
      anxietyBefore: 11,
      occurredOn: '2099-02-30',
    });
    expect(res.statusCode).toBe(400);
    const pointers = res
      .json()
      .errors.map((e: { pointer: string }) => e.pointer)
      .sort();
    expect(pointers).toEqual(['/body/anxietyBefore', '/body/occurredOn']);
  });
});
