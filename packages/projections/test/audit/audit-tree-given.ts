import { generateKeyPairSync } from 'node:crypto';
import { type NewEvent, treeHeadSigner } from '@small-steps/event-store';
import { TEST_METADATA, type TestStore } from '@small-steps/event-store/testing';
import { auditTreeProjection, type CheckpointPolicy, ProjectionRunner, type RunnerLog } from '../../src/index.ts';

export const silent: RunnerLog = { info() {}, warn() {}, error() {} };
const pem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
/** A key made for the test run, as the embedded default makes one on first start. */
export const signer = treeHeadSigner(pem, 'the test key');

let nextId = 0;
/** `count` new events recorded by a caller of `tenant`, each with an id of its own. */
export const events = (count: number, tenant: string): NewEvent[] =>
  Array.from({ length: count }, () => ({
    id: `00000000-0000-4000-8000-${String(++nextId).padStart(12, '0')}`,
    type: 'Counted',
    schemaVersion: 1,
    data: { n: nextId },
    metadata: { ...TEST_METADATA, actor: { ...TEST_METADATA.actor, tenant } },
  }));

/** Runs the audit tree over the whole log in batches of `batchSize`, then lets its lease go. */
export async function catchUpAuditTree(test: TestStore, policy: CheckpointPolicy, batchSize: number): Promise<void> {
  const runner = new ProjectionRunner({
    store: test.store,
    db: test.db,
    leases: test.leases,
    projection: auditTreeProjection(signer, policy),
    log: silent,
    batchSize,
  });
  await runner.catchUp();
  await test.leases.release(runner.name);
}
