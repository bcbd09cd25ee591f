import type { SignedHead, SignedStreamHeads } from '@small-steps/projections';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../src/auth/principal.ts';
import { describeEachDatabase, startTestApp, type TestApp } from '../fixtures/test-app.ts';
import { plansOf } from '../plans/plan-given.ts';

const auditor: Principal = { id: 'auditor-1', role: 'auditor', tenant: '801' };
const admin: Principal = { id: 'admin-1', role: 'admin', tenant: '801' };

/** Signed heads set by the test, standing where the signed checkpoints will plug in. */
class KnownSignedHeads implements SignedStreamHeads {
  readonly heads = new Map<string, SignedHead>();
  async latest(tenant: string, streamId: string): Promise<SignedHead | undefined> {
    return this.heads.get(`${tenant}/${streamId}`);
  }
}

describeEachDatabase('verifying a record over the API', (factory) => {
  let t: TestApp;
  let plans: ReturnType<typeof plansOf>;
  const signedHeads = new KnownSignedHeads();
  beforeAll(async () => {
    t = await startTestApp(factory, {}, undefined, { signedHeads });
    plans = plansOf(t);
  });
  afterAll(async () => t?.close());

  /** A plan of four events: opened, then three coping strategies. */
  const planOfFour = async (): Promise<string> => {
    const planId = await plans.openPlan();
    for (const strategy of ['Breathing', 'Counting', 'Walking']) {
      await plans.command(planId, '/coping-strategies', { strategy });
    }
    return planId;
  };
  const tamper = () => {
    if (t.tamper === undefined) throw new Error(`${factory.name} offers no tamper hook.`);
    return t.tamper;
  };
  const stored = async (planId: string) => t.store.readStream(`plan-${planId}`);
  const verify = async (url: string, as: Principal = auditor) => plans.get(url, { as });

  it('answers an untouched plan ok, with its head hash and version, checked against the read model', async () => {
    const planId = await planOfFour();
    const events = await stored(planId);
    const response = await verify(`/v1/plans/${planId}/verify`);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      ok: true,
      streamId: `plan-${planId}`,
      version: 4,
      headHash: events[3]?.hash,
      comparedWith: [{ seenBy: 'read-model', version: 4, hash: null }],
    });
    expect((await verify(`/v1/plans/${planId}/verify`, admin)).json()).toMatchObject({ ok: true });
  });

  it('finds an event whose stored data changed, naming its version, place and both hashes', async () => {
    const planId = await planOfFour();
    const events = await stored(planId);
    await tamper().changeData(`plan-${planId}`, 2, { strategy: 'Breathing!' });
    const result = (await verify(`/v1/plans/${planId}/verify`)).json();
    expect(result).toMatchObject({
      ok: false,
      version: 1,
      brokenAt: {
        version: 2,
        position: String(events[1]?.position),
        storedHash: events[1]?.hash,
        problem: 'hash mismatch',
      },
    });
    expect(result.brokenAt.expectedHash).toMatch(/^[0-9a-f]{64}$/);
    expect(result.brokenAt.expectedHash).not.toBe(events[1]?.hash);
  });

  it('finds a previous hash that does not link', async () => {
    const planId = await planOfFour();
    await tamper().relink(`plan-${planId}`, 3);
    expect((await verify(`/v1/plans/${planId}/verify`)).json()).toMatchObject({
      ok: false,
      version: 2,
      brokenAt: { version: 3, problem: 'previous hash does not link' },
    });
  });

  it('finds an event removed from the middle', async () => {
    const planId = await planOfFour();
    await tamper().remove(`plan-${planId}`, 2);
    expect((await verify(`/v1/plans/${planId}/verify`)).json()).toMatchObject({
      ok: false,
      version: 1,
      brokenAt: { version: 3, problem: 'version gap' },
    });
  });

  it('finds the last event removed, against the version the read model saw', async () => {
    const planId = await planOfFour();
    await tamper().remove(`plan-${planId}`, 4);
    expect((await verify(`/v1/plans/${planId}/verify`)).json()).toEqual({
      ok: false,
      streamId: `plan-${planId}`,
      version: 3,
      comparedWith: [{ seenBy: 'read-model', version: 4, hash: null }],
      brokenAt: {
        version: 4,
        position: null,
        expectedHash: null,
        storedHash: null,
        problem: 'events missing after the last stored',
      },
    });
  });

  describe('against a signed checkpoint', () => {
    it('holds when the checkpoint signed the hash stored at its version', async () => {
      const planId = await planOfFour();
      const events = await stored(planId);
      signedHeads.heads.set(`801/plan-${planId}`, { version: 3, hash: events[2]!.hash });
      expect((await verify(`/v1/plans/${planId}/verify`)).json()).toMatchObject({
        ok: true,
        version: 4,
        comparedWith: [{ seenBy: 'read-model' }, { seenBy: 'signed-checkpoint', version: 3, hash: events[2]!.hash }],
      });
    });

    it('finds the events a checkpoint signed missing, even when the read model was rewritten with them', async () => {
      const planId = await planOfFour();
      const events = await stored(planId);
      signedHeads.heads.set(`801/plan-${planId}`, { version: 4, hash: events[3]!.hash });
      await tamper().remove(`plan-${planId}`, 4);
      await t.db
        .withTables<{ plan_views: { plan_id: string; version: number } }>()
        .updateTable('plan_views')
        .set({ version: 3 })
        .where('plan_id', '=', planId)
        .execute();
      expect((await verify(`/v1/plans/${planId}/verify`)).json()).toMatchObject({
        ok: false,
        version: 3,
        brokenAt: {
          version: 4,
          position: null,
          expectedHash: events[3]!.hash,
          storedHash: null,
          problem: 'events missing after the last stored',
        },
      });
    });

    it('finds a stream whose event at the signed version is not the one signed', async () => {
      const planId = await planOfFour();
      const events = await stored(planId);
      signedHeads.heads.set(`801/plan-${planId}`, { version: 2, hash: events[3]!.hash });
      expect((await verify(`/v1/plans/${planId}/verify`)).json()).toMatchObject({
        ok: false,
        version: 4,
        brokenAt: {
          version: 2,
          position: String(events[1]?.position),
          expectedHash: events[3]!.hash,
          storedHash: events[1]!.hash,
          problem: 'checkpoint hash differs',
        },
      });
    });
  });

  it("verifies a pupil's record too, and finds it tampered", async () => {
    const pupilId = await plans.registerPupil();
    await plans.post(`/v1/pupils/${pupilId}/corrections`, { reason: 'Typo', changes: { givenName: 'Samuel' } });
    const events = await t.store.readStream(`pupil-${pupilId}`);
    expect((await verify(`/v1/pupils/${pupilId}/verify`)).json()).toMatchObject({
      ok: true,
      streamId: `pupil-${pupilId}`,
      version: events.length,
      headHash: events.at(-1)?.hash,
    });
    await tamper().relink(`pupil-${pupilId}`, 2);
    expect((await verify(`/v1/pupils/${pupilId}/verify`)).json()).toMatchObject({
      ok: false,
      brokenAt: { version: 2, problem: 'previous hash does not link' },
    });
  });

  it("answers another LA's record 404, and roles other than auditors and administrators 403", async () => {
    const planId = await plans.openPlan();
    const pupilId = await plans.registerPupil();
    const elsewhere: Principal = { ...auditor, tenant: '802' };
    expect((await verify(`/v1/plans/${planId}/verify`, elsewhere)).statusCode).toBe(404);
    expect((await verify(`/v1/pupils/${pupilId}/verify`, elsewhere)).statusCode).toBe(404);
    const officer: Principal = { id: 'officer-1', role: 'la_officer', tenant: '801' };
    expect((await verify(`/v1/plans/${planId}/verify`, officer)).statusCode).toBe(403);
    expect((await verify('/v1/plans/not-a-uuid/verify')).statusCode).toBe(400);
  });

  it('documents both routes under audit, with the verification schema', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    for (const path of ['/v1/plans/{planId}/verify', '/v1/pupils/{pupilId}/verify']) {
      const operation = doc.paths[path].get;
      expect(operation.tags, path).toEqual(['audit']);
      expect(Object.keys(operation.responses), path).toEqual(expect.arrayContaining(['200', '401', '403', '404']));
    }
    expect(doc.components.schemas.ChainVerification).toBeDefined();
  });
});
