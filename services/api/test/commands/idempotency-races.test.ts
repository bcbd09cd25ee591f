import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attendanceOf, type ClockedApp, startClockedApp } from '../attendance/attendance-given.ts';
import { describeEachDatabase } from '../fixtures/test-app.ts';
import { attempt, plansOf, upnWithSerial } from '../plans/plan-given.ts';

const RETRIES = 12;

/** Every concurrent retry got the first answer or was told the first is still running; none was refused. */
function expectOneAnswer(answers: readonly LightMyRequestResponse[], status: number): void {
  const statuses = new Set(answers.map((a) => a.statusCode));
  expect([...statuses].filter((s) => s !== status && s !== 409)).toEqual([]);
  const answered = answers.filter((a) => a.statusCode === status);
  expect(answered.length).toBeGreaterThan(0);
  expect(new Set(answered.map((a) => a.body)).size).toBe(1);
  for (const busy of answers.filter((a) => a.statusCode === 409)) {
    expect(busy.json().type).toMatch(/request-in-progress$/);
    expect(busy.headers['retry-after']).toBe('1');
  }
}

// A client that times out and retries with the same Idempotency-Key, several times at once: each
// retry gets the first request's answer, or 409 while it is still running; never a refusal that
// the first request's own effect caused, never a 500, and the facts are recorded once.
describeEachDatabase('concurrent retries under one Idempotency-Key', (factory) => {
  let t: ClockedApp;
  let plans: ReturnType<typeof plansOf>;
  beforeAll(async () => {
    t = await startClockedApp(factory, '2026-10-20T09:00:00Z');
    plans = plansOf(t);
  });
  afterAll(async () => t?.close());

  const sendAll = (send: () => Promise<LightMyRequestResponse>) =>
    Promise.all(Array.from({ length: RETRIES }, () => send()));

  describe('each command family', () => {
    it('registers a pupil once', async () => {
      const headers = { 'idempotency-key': 'register-once' };
      const answers = await sendAll(() =>
        plans.post(
          '/v1/pupils',
          {
            // A serial the plan givens never reach, so their pupils never clash with this one.
            upn: upnWithSerial(999_999),
            givenName: 'Sam',
            familyName: 'Taylor',
            dateOfBirth: '2017-03-14',
            yearGroup: '3',
            senProvision: 'E',
            needs: [{ need: 'SEMH', rank: 1 }],
            schoolUrn: '100001',
            admissionDate: '2026-09-02',
          },
          { headers },
        ),
      );
      expectOneAnswer(answers, 201);
      const { pupilId } = answers.find((a) => a.statusCode === 201)!.json();
      const once = await plans.registerPupil();
      expect(await t.store.streamVersion(`pupil-${pupilId}`)).toBe(await t.store.streamVersion(`pupil-${once}`));
    });

    it('records an attempt once', async () => {
      const planId = await plans.activePlan();
      await plans.command(planId, '/steps/step-1/start', { occurredOn: '2026-09-14' });
      const before = await t.store.streamVersion(`plan-${planId}`);
      const headers = { 'idempotency-key': 'attempt-once' };
      const answers = await sendAll(() =>
        plans.post(
          `/v1/plans/${planId}/steps/step-1/attempts`,
          { ...attempt(), occurredOn: '2026-09-15' },
          { headers },
        ),
      );
      expectOneAnswer(answers, 200);
      expect(await t.store.streamVersion(`plan-${planId}`)).toBe(before + 1);
    });

    it('opens a plan once', async () => {
      const body = plans.openBody(await plans.registerPupil());
      const answers = await sendAll(() =>
        plans.post('/v1/plans', body, { headers: { 'idempotency-key': 'open-once' } }),
      );
      expectOneAnswer(answers, 201);
      const { planId } = answers.find((a) => a.statusCode === 201)!.json();
      expect(await t.store.streamVersion(`plan-${planId}`)).toBe(1);
    });

    it('records a register once', async () => {
      const pupilId = await plans.registerPupil();
      const register = attendanceOf(t);
      const marks = [{ pupilId, date: '2026-10-19', session: 'AM' as const, code: '/' }];
      const answers = await sendAll(() => register.mark(marks, { headers: { 'idempotency-key': 'marks-once' } }));
      expectOneAnswer(answers, 200);
      expect(await t.store.streamVersion('attendance-801-100001-2026-10-19')).toBe(1);
    });
  });
});
