import { openVault } from '@small-steps/application';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildApp } from '../../src/app.ts';
import { describeEachDatabase, officer, startTestApp, type TestApp } from '../fixtures/test-app.ts';
import { agreedBy, attempt, people, plansOf, review, step } from './plan-given.ts';

describeEachDatabase('plan commands', (factory) => {
  let t: TestApp;
  let plans: ReturnType<typeof plansOf>;
  beforeAll(async () => {
    t = await startTestApp(factory);
    plans = plansOf(t);
  });
  afterAll(async () => t?.close());

  it('opens a plan for a pupil in your records, gathering information', async () => {
    const pupilId = await plans.registerPupil();
    const res = await plans.post('/v1/plans', plans.openBody(pupilId));
    expect(res.statusCode).toBe(201);
    const plan = res.json();
    expect(res.headers.location).toBe(`/v1/plans/${plan.planId}`);
    expect(res.headers.etag).toBe('"1"');
    expect(plan).toMatchObject({
      pupilId,
      status: 'gathering',
      openedOn: '2026-09-07',
      version: 1,
      keyAdult: { id: people.keyAdult.id, name: 'Ms Patel' },
      settings: [{ urn: '100001', kind: 'school', joinedOn: '2026-09-07' }],
      advisoriesRaised: [],
    });
  });

  it('records views and groundwork, and shows what is still needed before steps are agreed', async () => {
    const planId = await plans.openPlan();
    const plan = await plans.command(planId, '/views', {
      role: 'pupil',
      worries: 'Not knowing what happens next.',
      whatHelps: 'Quiet time first.',
      hopes: 'To be with my friends.',
    });
    expect(plan.readiness).toMatchObject({ hasPupilView: true, hasParentView: false });
    const assessed = await plans.command(planId, '/groundwork/underpinning_factors', {
      summary: 'Sensory overload in busy rooms.',
      assessment: { framework: 'ATTEND', fields: { sensory: 'High', notes: ['noise', 'lights'] } },
    });
    expect(assessed.readiness.groundwork.underpinning_factors).toBe('recorded');
    const waived = await plans.command(planId, '/groundwork/shared_narrative/waiver', {
      reason: 'The family asked to come back to it later.',
      waivedBy: { id: people.senco.id, name: 'Mrs Okafor', role: 'senco' },
    });
    expect(waived.readiness.groundwork).toMatchObject({ shared_narrative: 'waived', rapport: 'outstanding' });
    expect(waived.version).toBe(4);
  });

  it('assigns the key adult and the case officer', async () => {
    const planId = await plans.openPlan();
    await plans.command(planId, '/key-adult', { keyAdult: { id: 'person-ta', name: 'Mr Lee' } });
    const plan = await plans.command(planId, '/case-officer', { officer: { id: 'officer-17', name: 'Mr Evans' } });
    expect(plan).toMatchObject({
      keyAdult: { id: 'person-ta', name: 'Mr Lee' },
      caseOfficer: { id: 'officer-17', name: 'Mr Evans' },
    });
  });

  it('records coping strategies taught and external agencies involved in the history', async () => {
    const planId = await plans.openPlan();
    await plans.command(planId, '/coping-strategies', { strategy: 'Zones of Regulation' });
    const plan = await plans.command(planId, '/external-agencies', { agency: 'CAMHS', reason: 'Autism pathway.' });
    expect(plan.version).toBe(3);
    const history = (await plans.get(`/v1/plans/${planId}/events`)).json();
    expect(history.items.map((e: { type: string }) => e.type)).toEqual([
      'PlanOpened',
      'CopingStrategyTaught',
      'ExternalAgencyInvolved',
    ]);
  });

  it('adds a participating setting and records it leaving', async () => {
    const planId = await plans.openPlan();
    const joined = await plans.command(planId, '/settings', { urn: '100002', kind: 'alternative_provision' });
    expect(joined.settings.map((s: { urn: string }) => s.urn)).toEqual(['100001', '100002']);
    const left = await plans.command(planId, '/settings/100002/leave', { reason: 'Placement ended.' });
    expect(left.settings.map((s: { urn: string }) => s.urn)).toEqual(['100001']);
  });

  it('identifies a barrier, puts an adjustment in place and records it addressed', async () => {
    const planId = await plans.openPlan();
    const barrier = {
      barrierId: 'barrier-noise',
      kind: 'sensory',
      description: 'Class is loud.',
      situations: ['class'],
    };
    expect((await plans.command(planId, '/barriers', barrier)).openBarriers).toHaveLength(1);
    const adjusted = await plans.command(planId, '/barriers/barrier-noise/adjustments', {
      kind: 'environment_change',
      description: 'A quiet room to go to before lessons.',
    });
    expect(adjusted.openBarriers[0].adjustments).toMatchObject([{ kind: 'environment_change' }]);
    const addressed = await plans.command(planId, '/barriers/barrier-noise/address', {
      notes: 'The quiet room works.',
    });
    expect(addressed.openBarriers).toEqual([]);
  });

  it("excludes a barrier's situation instead of meeting it", async () => {
    const planId = await plans.openPlan();
    await plans.command(planId, '/barriers', { barrierId: 'barrier-hall', kind: 'sensory', description: 'The hall.' });
    const plan = await plans.command(planId, '/barriers/barrier-hall/situation-exclusion', {
      situation: 'assembly',
      reason: 'The hall is too loud and always will be.',
      reviewOn: null,
    });
    expect(plan.excludedSituations).toMatchObject([
      { barrierId: 'barrier-hall', exclusion: { situation: 'assembly' } },
    ]);
  });

  it('arranges provision from the catalogue and ends it', async () => {
    const planId = await plans.openPlan();
    const arranged = await plans.command(planId, '/provisions', { provisionId: 'p-1', provision: 'safe_space' });
    expect(arranged.provisionsInPlace).toMatchObject([{ provisionId: 'p-1', provision: 'safe_space' }]);
    const ended = await plans.command(planId, '/provisions/p-1/end', {});
    expect(ended.provisionsInPlace).toEqual([]);
  });

  it('agrees a goal and a ladder, activating the plan and raising step-too-large as advice', async () => {
    const planId = await plans.readyPlan();
    const res = await plans.post(`/v1/plans/${planId}/goals/goal-1/steps`, {
      steps: [step(1, { predictedAnxiety: 2 }), step(2, { predictedAnxiety: 5 })],
      participants: agreedBy,
      occurredOn: '2026-09-11',
    });
    expect(res.statusCode).toBe(200);
    const plan = res.json();
    expect(plan).toMatchObject({ status: 'active', activatedOn: '2026-09-11', nextReviewDue: '2026-10-23' });
    expect(plan.goals[0].ladder.map((s: { label: string }) => s.label)).toEqual(['1', '2']);
    expect(plan.advisoriesRaised).toMatchObject([{ rule: 'step-too-large', stepId: 'step-2' }]);
    expect(plan.advisories).toEqual(plan.advisoriesRaised);
  });

  it('starts the current step, records attempts and masters it, and the next step becomes current', async () => {
    const planId = await plans.activePlan();
    await plans.command(planId, '/steps/step-1/start', undefined);
    await plans.command(planId, '/steps/step-1/attempts', { ...attempt({ anxietyBefore: 5, anxietyAfter: 3 }) });
    await plans.command(planId, '/steps/step-1/attempts', { ...attempt({ anxietyBefore: 3, anxietyAfter: 1 }) });
    const plan = await plans.command(planId, '/steps/step-1/mastery', { pupilConfirmed: true, pupilWords: 'Easy.' });
    const [first] = plan.goals[0].ladder;
    expect(first).toMatchObject({ state: 'mastered', habituation: [{ anxietyAfter: 3 }, { anxietyAfter: 1 }] });
    expect(plan.goals[0].currentStepId).toBe('step-2');
  });

  it('records an attempt an adult stretched as it happened, with agreed-step-stretched as advice', async () => {
    const planId = await plans.activePlan();
    await plans.command(planId, '/steps/step-1/start', {});
    const res = await plans.post(
      `/v1/plans/${planId}/steps/step-1/attempts`,
      attempt({ minutes: 25, extendedBy: 'adult' }),
    );
    expect(res.statusCode).toBe(200);
    expect(res.json().advisoriesRaised).toMatchObject([{ rule: 'agreed-step-stretched', stepId: 'step-1' }]);
    expect(res.json().goals[0].ladder[0].attempts).toMatchObject([{ minutes: 25, extendedBy: 'adult' }]);
  });

  it('answers Prefer: return=minimal with a receipt, and the plan read afterwards has the attempt', async () => {
    const planId = await plans.activePlan();
    await plans.command(planId, '/steps/step-1/start', {});
    const res = await plans.post(
      `/v1/plans/${planId}/steps/step-1/attempts`,
      attempt({ minutes: 25, extendedBy: 'adult' }),
      { headers: { prefer: 'respond-async, return=minimal' } },
    );
    expect(res.statusCode).toBe(200);
    expect(res.headers['preference-applied']).toBe('return=minimal');
    expect(res.headers['content-type']).toMatch(/^application\/vnd\.small-steps\.plan-receipt\+json/);
    expect(res.headers.etag).toBe(`"${res.json().version}"`);
    expect(res.json()).toEqual({
      planId,
      version: expect.any(Number),
      advisoriesRaised: [expect.objectContaining({ rule: 'agreed-step-stretched', stepId: 'step-1' })],
    });
    const plan = (await plans.get(`/v1/plans/${planId}`)).json();
    expect(plan.version).toBe(res.json().version);
    expect(plan.goals[0].ladder[0]).toMatchObject({
      attempts: [{ minutes: 25, extendedBy: 'adult' }],
      habituation: [{ anxietyBefore: expect.any(Number) }],
    });
  });

  it('replays a receipt as a receipt, under its media type, whatever the retry prefers', async () => {
    const planId = await plans.activePlan();
    const headers = { 'idempotency-key': `start-${planId}` };
    const first = await plans.post(
      `/v1/plans/${planId}/steps/step-1/start`,
      {},
      {
        headers: { ...headers, prefer: 'return=minimal' },
      },
    );
    const retry = await plans.post(`/v1/plans/${planId}/steps/step-1/start`, {}, { headers });
    expect(retry.statusCode).toBe(200);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.headers['content-type']).toMatch(/^application\/vnd\.small-steps\.plan-receipt\+json/);
    expect(retry.json()).toEqual(first.json());
  });

  it('answers alike whether or not responses are checked against their schemas', async () => {
    const unchecked = await buildApp({
      config: { ...t.config, checkResponses: false },
      storage: { store: t.store, db: t.db },
      vault: openVault(t.db, t.config.masterKey),
    });
    try {
      const planId = await plans.activePlan();
      const headers = { authorization: `Bearer ${await t.token(officer)}` };
      const read = async (app: FastifyInstance) =>
        (await app.inject({ method: 'GET', url: `/v1/plans/${planId}`, headers })).json();
      // The same fields and values; the check rebuilds objects in schema order, so keys may come in another order.
      expect(await read(unchecked)).toEqual(await read(t.app));
    } finally {
      await unchecked.close();
    }
  });

  it('answers with the whole plan when return=representation is preferred, or nothing is', async () => {
    const planId = await plans.activePlan();
    const res = await plans.post(
      `/v1/plans/${planId}/steps/step-1/start`,
      {},
      {
        headers: { prefer: 'return=representation' },
      },
    );
    expect(res.statusCode).toBe(200);
    expect(res.headers['preference-applied']).toBeUndefined();
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.json()).toMatchObject({ planId, status: 'active', advisoriesRaised: [] });
  });

  it('splits a stalled step into smaller steps that take its place', async () => {
    const planId = await plans.activePlan();
    await plans.masterStep(planId, 1, '2026-09-14');
    await plans.command(planId, '/steps/step-2/start', {});
    const plan = await plans.command(planId, '/steps/step-2/split', {
      reason: 'Stalled after lunch.',
      steps: [step('2a', { predictedAnxiety: 2 }), step('2b', { predictedAnxiety: 3 })],
      participants: agreedBy,
    });
    const ladder = plan.goals[0].ladder.map((s: { label: string; state: string }) => `${s.label}:${s.state}`);
    expect(ladder).toEqual(['1:mastered', '2:split', '2.1:agreed', '2.2:agreed', '3:agreed', '4:agreed']);
    expect(plan.goals[0].currentStepId).toBe('step-2a');
  });

  it('withdraws a step by agreement', async () => {
    const planId = await plans.activePlan();
    const plan = await plans.command(planId, '/steps/step-3/withdrawal', {
      reason: 'No longer part of the goal.',
      participants: agreedBy,
    });
    expect(plan.goals[0].ladder[2]).toMatchObject({
      state: 'withdrawn',
      withdrawal: { reason: 'No longer part of the goal.' },
    });
  });

  it('revisits a mastered step without changing the current step', async () => {
    const planId = await plans.activePlan();
    await plans.masterStep(planId, 1, '2026-09-14');
    const plan = await plans.command(planId, '/steps/step-1/revisit', { reason: 'Back after a week off ill.' });
    expect(plan.goals[0].ladder[0]).toMatchObject({ state: 'practising', isRevisiting: true });
    expect(plan.goals[0].currentStepId).toBe('step-2');
  });

  it('holds a review, celebrates, records family contact, logs an observation and a safeguarding referral', async () => {
    const planId = await plans.activePlan();
    const reviewed = await plans.command(planId, '/reviews', review('2026-09-25', '2026-10-09'));
    expect(reviewed).toMatchObject({ lastReviewOn: '2026-09-25', nextReviewDue: '2026-10-09' });
    await plans.command(planId, '/celebrations', { what: 'A whole art lesson.' });
    await plans.command(planId, '/family-contacts', { channel: 'phone', by: people.keyAdult, summary: 'Good week.' });
    await plans.command(planId, '/observations', { what: 'Unsettled after lunch.', tags: ['trigger'], time: '13:15' });
    const plan = await plans.command(planId, '/safeguarding-referrals', { referredBy: people.keyAdult });
    const types = (await plans.get(`/v1/plans/${planId}/events?limit=200`))
      .json()
      .items.map((e: { type: string }) => e.type);
    expect(types.slice(-5)).toEqual([
      'ReviewHeld',
      'AchievementCelebrated',
      'FamilyContactRecorded',
      'ObservationLogged',
      'SafeguardingReferralMade',
    ]);
    expect(plan.version).toBe(types.length);
  });

  it('agrees a part-time timetable with reviews every two weeks, and ends it', async () => {
    const planId = await plans.activePlan();
    const agreed = await plans.command(planId, '/part-time-timetables', {
      startsOn: '2026-09-14',
      endsOn: '2026-11-06',
      reason: 'reintegration',
      hoursPerWeek: [10, 12.5, 15, 17.5, 20, 22.5, 25, 27.5],
      participants: agreedBy,
      parentAgreement: { parentId: people.parent.id, agreedOn: '2026-09-11' },
      occurredOn: '2026-09-11',
    });
    expect(agreed.partTimeTimetable.inForce).toMatchObject({ startsOn: '2026-09-14', endsOn: '2026-11-06' });
    expect(agreed.nextReviewDue).toBe('2026-09-28');
    const ended = await plans.command(planId, '/part-time-timetables/end', { reason: 'Full time now.' });
    expect(ended.partTimeTimetable).toMatchObject({ inForce: null, totalDays: 54 });
  });

  it('pauses and resumes the plan', async () => {
    const planId = await plans.activePlan();
    const paused = await plans.command(planId, '/pause', { reason: 'In hospital.', occurredOn: '2026-10-01' });
    expect(paused).toMatchObject({ status: 'paused', pause: { occurredOn: '2026-10-01', reason: 'In hospital.' } });
    const resumed = await plans.command(planId, '/resume', { reason: 'Home and well.' });
    expect(resumed).toMatchObject({ status: 'active', pause: null });
  });

  it('records the goal achieved, closes the plan and records a follow-up', async () => {
    const planId = await plans.activePlan();
    const achieved = await plans.command(planId, '/goals/goal-1/achievement', { pupilWords: 'I did it.' });
    expect(achieved.goals[0].achievedOn).not.toBeNull();
    const closed = await plans.command(planId, '/close', {
      outcome: 'returned_full_time',
      summary: 'Back in class full time.',
      followUpOn: '2027-03-19',
    });
    expect(closed).toMatchObject({ status: 'closed', closure: { outcome: 'returned_full_time' } });
    const followed = await plans.command(planId, '/follow-ups', { summary: 'Still attending full time.' });
    expect(followed.followUps).toMatchObject([{ summary: 'Still attending full time.' }]);
  });

  it('dates a fact today in England when occurredOn is left out', async () => {
    const planId = await plans.openPlan();
    const plan = await plans.command(planId, '/barriers', { barrierId: 'b-1', kind: 'transport', description: 'Bus.' });
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date());
    expect(plan.openBarriers[0].identifiedOn).toBe(today);
  });
});
