import type { SignedCheckpoint } from '@small-steps/contracts';
import {
  auditLeaf,
  leafHash,
  START_OF_LOG,
  treeHeadProblem,
  verifyConsistency,
  verifyInclusion,
} from '@small-steps/event-store';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Principal } from '../../src/auth/principal.ts';
import { describeEachDatabase, officer, startTestApp, type TestApp } from '../fixtures/test-app.ts';
import { plansOf } from '../plans/plan-given.ts';

const auditor: Principal = { id: 'auditor-1', role: 'auditor', tenant: '801' };
const admin: Principal = { id: 'admin-1', role: 'admin', tenant: '801' };
const otherAuditor: Principal = { id: 'auditor-9', role: 'auditor', tenant: '802' };
const hash = (hex: string): Buffer => Buffer.from(hex, 'hex');

// The audit tree is kept from the log by a projection runner, here inside the API process.
describeEachDatabase('signed checkpoints and proofs', (factory) => {
  let t: TestApp;
  let plans: ReturnType<typeof plansOf>;
  beforeAll(async () => {
    // A head after every batch: these tests want one that covers what they just recorded.
    t = await startTestApp(factory, { RUN_PROJECTIONS: 'true', AUDIT_CHECKPOINT_SECONDS: '0' });
    plans = plansOf(t);
  });
  afterAll(async () => t?.close());

  const get = async (url: string, as: Principal = auditor) =>
    t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${await t.token(as)}` } });

  const eventsOf801 = async (): Promise<number> => {
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from events where tenant = '801'`.execute(t.db);
    return rows[0]!.n;
  };

  const latestCovering = async (size: number): Promise<SignedCheckpoint> => {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const response = await get('/v1/audit/checkpoints/latest');
      if (response.statusCode === 200 && response.json().treeSize >= size) return response.json();
      if (Date.now() > deadline) throw new Error(`no checkpoint of ${size} events: ${response.body}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  it('signs the LA’s events and proves each of a plan’s events in the latest checkpoint', async () => {
    const planId = await plans.readyPlan();
    const count = await eventsOf801();
    const head = await latestCovering(count);
    expect(head).toMatchObject({ tenant: '801', treeSize: count });

    const key = await get('/v1/audit/public-key', admin);
    expect(key.statusCode).toBe(200);
    expect(key.json()).toMatchObject({ algorithm: 'Ed25519', keyId: head.keyId });
    expect(treeHeadProblem(head, key.json().publicKeyPem)).toBeNull();

    for (const event of await t.store.readStream(`plan-${planId}`)) {
      const response = await get(`/v1/audit/proofs/inclusion?eventId=${event.id}&treeSize=${head.treeSize}`);
      expect(response.statusCode).toBe(200);
      const { leafIndex, proof, event: leaf, checkpoint } = response.json();
      expect(checkpoint).toEqual(head);
      expect(leaf).toEqual({ streamId: event.streamId, version: event.version, eventId: event.id, hash: event.hash });
      const ok = verifyInclusion(
        leafHash(auditLeaf(event)),
        leafIndex,
        head.treeSize,
        proof.map(hash),
        hash(head.rootHash),
      );
      expect(ok).toBe(true);
    }
  });

  it('verifies a plan against the head its latest checkpoint signed: its signed last event removed is found', async () => {
    const planId = await plans.readyPlan();
    const events = await t.store.readStream(`plan-${planId}`);
    await latestCovering(await eventsOf801());
    const last = events.at(-1)!;
    const verify = async () => (await get(`/v1/plans/${planId}/verify`)).json();
    expect(await verify()).toMatchObject({
      ok: true,
      comparedWith: expect.arrayContaining([{ seenBy: 'signed-checkpoint', version: last.version, hash: last.hash }]),
    });
    if (t.tamper === undefined) throw new Error(`${factory.name} offers no tamper hook.`);
    // The log loses its last event and the read model is rewritten to match: only the checkpoint knows.
    await t.tamper.remove(`plan-${planId}`, last.version);
    await t.db
      .withTables<{ plan_views: { plan_id: string; version: number } }>()
      .updateTable('plan_views')
      .set({ version: last.version - 1 })
      .where('plan_id', '=', planId)
      .execute();
    expect(await verify()).toMatchObject({
      ok: false,
      brokenAt: { version: last.version, expectedHash: last.hash, storedHash: null },
    });
  });

  it('proves an earlier checkpoint the start of a later one', async () => {
    const first = await latestCovering(1);
    await plans.openPlan();
    const later = await latestCovering(await eventsOf801());
    expect(later.treeSize).toBeGreaterThan(first.treeSize);
    expect((await get(`/v1/audit/checkpoints/${first.treeSize}`)).json()).toEqual(first);
    const response = await get(`/v1/audit/proofs/consistency?from=${first.treeSize}&to=${later.treeSize}`);
    expect(response.statusCode).toBe(200);
    const { from, to, proof } = response.json();
    expect([from, to]).toEqual([first, later]);
    expect(
      verifyConsistency(first.treeSize, later.treeSize, hash(from.rootHash), hash(to.rootHash), proof.map(hash)),
    ).toBe(true);
  });

  it('serves auditors and admins of the LA only, and nothing of another LA', async () => {
    expect((await get('/v1/audit/checkpoints/latest', officer)).statusCode).toBe(403);
    expect((await get('/v1/audit/public-key', officer)).statusCode).toBe(403);
    expect((await get('/v1/audit/checkpoints/latest', otherAuditor)).statusCode).toBe(404);
    const [event] = (await t.store.readAll({ after: START_OF_LOG, maxCount: 1, filter: { tenant: '801' } })).events;
    expect((await get(`/v1/audit/proofs/inclusion?eventId=${event!.id}`, otherAuditor)).statusCode).toBe(404);
    const head = await latestCovering(1);
    expect(
      (await get(`/v1/audit/proofs/inclusion?eventId=${event!.id}&treeSize=${head.treeSize + 1000}`)).statusCode,
    ).toBe(404);
    expect((await get('/v1/audit/proofs/consistency?from=3&to=2')).statusCode).toBe(400);
    expect((await get('/v1/audit/checkpoints/0')).statusCode).toBe(400);
    expect((await get('/v1/audit/proofs/inclusion?eventId=not-a-uuid')).statusCode).toBe(400);
  });
});
