import type { Principal } from '@small-steps/domain';
import {
  auditLeaf,
  consistencyProof,
  inclusionProof,
  leafHash,
  MemoryMerkleTree,
  START_OF_LOG,
  type StoredEvent,
  treeHeadProblem,
  verifyConsistency,
  verifyInclusion,
} from '@small-steps/event-store';
import { type TestStore, testDatabases } from '@small-steps/event-store/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditTrees, EVERY_BATCH, readModelMigrations } from '../../src/index.ts';
import { catchUpAuditTree, events, signer } from './audit-tree-given.ts';

const databases = (await testDatabases()).filter((d) => d.skipReason === null);

const principal = (tenant: string): Principal =>
  ({ id: 'auditor-1', role: 'auditor', tenant, schoolUrns: [] }) as Principal;

const hash = (hex: string): Buffer => Buffer.from(hex, 'hex');

describe.each(databases)('the audit tree on $name', (factory) => {
  let test: TestStore;
  beforeAll(async () => {
    test = await factory.create({ extraMigrations: readModelMigrations });
  });
  afterAll(async () => test?.dispose());

  const catchUp = (batchSize = 7) => catchUpAuditTree(test, EVERY_BATCH, batchSize);

  const logOf = async (tenant: string): Promise<StoredEvent[]> => {
    const page = await test.store.readAll({ after: START_OF_LOG, maxCount: 10_000, filter: { tenant } });
    return page.events;
  };

  it('puts each tenant’s events in its own tree, in log order, and signs each head it reaches', async () => {
    for (let i = 0; i < 6; i++) {
      await test.store.append(`plan-a${i}`, events(5, '201'), { expectedVersion: 'no_stream' });
      await test.store.append(`plan-b${i}`, events(2, '202'), { expectedVersion: 'no_stream' });
    }
    await catchUp();
    const trees = new AuditTrees(test.db);
    for (const tenant of ['201', '202']) {
      const log = await logOf(tenant);
      const expected = new MemoryMerkleTree();
      expected.append(...log.map(auditLeaf));
      const head = await trees.latest(principal(tenant));
      expect(head).toMatchObject({ tenant, treeSize: log.length, rootHash: expected.root().toString('hex') });
      expect(head?.timestamp).toBe(log.at(-1)?.recordedAt.toISOString());
      expect(treeHeadProblem(head!, signer.publicKeyPem)).toBeNull();
    }
  });

  it('goes on from where it was, and proves every event in the latest head and every head consistent with the next', async () => {
    await test.store.append('plan-a0', events(9, '201'), { expectedVersion: 5 });
    await catchUp();
    const trees = new AuditTrees(test.db);
    const log = await logOf('201');
    const head = (await trees.latest(principal('201')))!;
    expect(head.treeSize).toBe(log.length);
    const proofs = await trees.inclusion(
      principal('201'),
      log.map((e) => e.id),
      head.treeSize,
    );
    expect(proofs).toHaveLength(log.length);
    for (const [i, proof] of proofs.entries()) {
      expect(proof.leafIndex).toBe(i);
      expect(proof.event.hash).toBe(log[i]!.hash);
      const leaf = leafHash(auditLeaf(log[i]!));
      expect(verifyInclusion(leaf, i, head.treeSize, proof.proof.map(hash), hash(head.rootHash))).toBe(true);
    }
    // Another tenant's event is not in this tree.
    const other = await logOf('202');
    expect(await trees.inclusion(principal('201'), [other[0]!.id], head.treeSize)).toEqual([]);

    const sizes = [7, 14, 21, 28, head.treeSize].filter((n) => n <= head.treeSize);
    for (const from of sizes) {
      for (const to of sizes.filter((n) => n > from)) {
        const answer = await trees.consistency(principal('201'), from, to);
        if (answer === null) continue; // no head was signed at that size
        const ok = verifyConsistency(
          from,
          to,
          hash(answer.from.rootHash),
          hash(answer.to.rootHash),
          answer.proof.map(hash),
        );
        expect(ok, `${from} → ${to}`).toBe(true);
      }
    }
    expect(await trees.consistency(principal('201'), 1, head.treeSize)).toBeNull();
  });

  it('stores every fourth level of a tree of hundreds, and proves from it as from the whole tree', async () => {
    for (let i = 0; i < 3; i++) {
      await test.store.append(`plan-c${i}`, events(200, '203'), { expectedVersion: 'no_stream' });
    }
    await catchUp(97);
    const log = await logOf('203');
    const expected = new MemoryMerkleTree();
    expected.append(...log.map(auditLeaf));
    const trees = new AuditTrees(test.db);
    const head = (await trees.latest(principal('203')))!;
    expect(head).toMatchObject({ treeSize: 600, rootHash: expected.root().toString('hex') });

    const { rows } = await sql<{ level: number; nodes: string }>`
      select level, count(*)::text as nodes from audit_nodes where tenant = '203' group by level order by level`.execute(
      test.db,
    );
    // 600 leaves: 37 subtrees of 16 leaves and 2 of 256, and none of the levels between.
    expect(rows).toEqual([
      { level: 4, nodes: '37' },
      { level: 8, nodes: '2' },
    ]);

    const proofs = await trees.inclusion(
      principal('203'),
      log.map((e) => e.id),
      head.treeSize,
    );
    for (const [i, proof] of proofs.entries()) {
      expect(proof.proof).toEqual(inclusionProof(i, head.treeSize, expected.node).map((h) => h.toString('hex')));
    }
    const { rows: sizes } = await sql<{ tree_size: string }>`
      select tree_size::text as tree_size from audit_checkpoints where tenant = '203' order by audit_checkpoints.tree_size`.execute(
      test.db,
    );
    expect(sizes.length).toBeGreaterThan(1);
    for (const [from, to] of sizes
      .slice(0, -1)
      .map((row, i) => [Number(row.tree_size), Number(sizes[i + 1]!.tree_size)])) {
      const answer = (await trees.consistency(principal('203'), from!, to!))!;
      expect(answer.proof, `${from} → ${to}`).toEqual(
        consistencyProof(from!, to!, expected.node).map((h) => h.toString('hex')),
      );
      expect(
        verifyConsistency(from!, to!, hash(answer.from.rootHash), hash(answer.to.rootHash), answer.proof.map(hash)),
      ).toBe(true);
    }
  });
});
