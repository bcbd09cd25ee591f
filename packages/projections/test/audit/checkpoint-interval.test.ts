import { auditLeaf, MemoryMerkleTree, START_OF_LOG, treeHeadProblem } from '@small-steps/event-store';
import { type TestStore, testDatabases } from '@small-steps/event-store/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditCheckpointSchedule, type CheckpointPolicy, readModelMigrations } from '../../src/index.ts';
import { catchUpAuditTree, events, signer, silent } from './audit-tree-given.ts';

const databases = (await testDatabases()).filter((d) => d.skipReason === null);

describe.each(databases)('signing audit checkpoints at an interval on $name', (factory) => {
  let test: TestStore;
  beforeAll(async () => {
    test = await factory.create({ extraMigrations: readModelMigrations });
  });
  afterAll(async () => test?.dispose());

  const catchUp = (policy: CheckpointPolicy, batchSize: number) => catchUpAuditTree(test, policy, batchSize);

  const signedSizes = async (tenant: string): Promise<number[]> => {
    const { rows } = await sql<{ size: number }>`
      select tree_size::int as size from audit_checkpoints where tenant = ${tenant}
      order by audit_checkpoints.tree_size`.execute(test.db);
    return rows.map((row) => row.size);
  };

  const schedule = (everySeconds: number, at: Date) =>
    new AuditCheckpointSchedule({ db: test.db, signer, everySeconds, clock: () => at, log: silent });

  it('signs once enough events are unsigned, not after every batch, and the schedule signs the tail when it is old', async () => {
    for (let i = 0; i < 5; i++) {
      await test.store.append(`plan-e${i}`, events(5, '301'), { expectedVersion: 'no_stream' });
    }
    // Batches of 4: the heads at 12 and 24 each cover at least 10 unsigned events; 25 waits.
    await catchUp({ everyEvents: 10, everySeconds: 60 }, 4);
    expect(await signedSizes('301')).toEqual([12, 24]);

    const now = new Date();
    expect(await schedule(60, now).signDue()).toBe(0);
    expect(await signedSizes('301')).toEqual([12, 24]);

    expect(await schedule(60, new Date(now.getTime() + 61_000)).signDue()).toBe(1);
    expect(await signedSizes('301')).toEqual([12, 24, 25]);
    const { rows } = await sql<{ root_hash: string; head_timestamp: string; key_id: string; signature: string }>`
      select root_hash, head_timestamp, key_id, signature from audit_checkpoints
      where tenant = '301' and tree_size = 25`.execute(test.db);
    const page = await test.store.readAll({ after: START_OF_LOG, maxCount: 1000, filter: { tenant: '301' } });
    const expected = new MemoryMerkleTree();
    expected.append(...page.events.map(auditLeaf));
    const head = { tenant: '301', treeSize: 25, rootHash: rows[0]!.root_hash, timestamp: rows[0]!.head_timestamp };
    expect(head.rootHash).toBe(expected.root().toString('hex'));
    expect(head.timestamp).toBe(page.events.at(-1)!.recordedAt.toISOString());
    expect(
      treeHeadProblem({ ...head, keyId: rows[0]!.key_id, signature: rows[0]!.signature }, signer.publicKeyPem),
    ).toBeNull();
    // Nothing is pending any more.
    expect(await schedule(0, new Date(now.getTime() + 120_000)).signDue()).toBe(0);
  });

  it('signs in the batch whose events are everySeconds later than the oldest unsigned one', async () => {
    const policy = { everyEvents: 1000, everySeconds: 1 };
    await test.store.append('plan-f0', events(2, '302'), { expectedVersion: 'no_stream' });
    await catchUp(policy, 100);
    expect(await signedSizes('302')).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await test.store.append('plan-f1', events(1, '302'), { expectedVersion: 'no_stream' });
    await catchUp(policy, 100);
    expect(await signedSizes('302')).toEqual([3]);
  });
});
