import type { AuditExport } from '@small-steps/contracts';
import type { Principal } from '@small-steps/domain';
import type { SqlStorage, TreeHeadSigner } from '@small-steps/event-store';

type Storage = Pick<SqlStorage, 'store' | 'db' | 'leases'>;

import { AuditTrees, auditTreeProjection, ProjectionRunner, signPendingHeads } from '@small-steps/projections';

const quiet = { info() {}, warn() {}, error() {} };

/**
 * Brings the audit tree up to the log when no other process keeps it (on the embedded store the
 * service is stopped while the CLI runs), and signs the heads left pending, so an export covers
 * the stream's latest events.
 */
async function catchUpAuditTree(storage: Storage, signer: TreeHeadSigner): Promise<void> {
  const { leases, db } = storage;
  if (!leases) return;
  const runner = new ProjectionRunner({ ...storage, leases, projection: auditTreeProjection(signer), log: quiet });
  try {
    await runner.catchUp();
  } catch (error) {
    // Another process (a worker) holds the tree: its latest checkpoint is the one to use.
    if (!(error instanceof Error && /Another process runs/.test(error.message))) throw error;
  } finally {
    await leases.release(runner.name);
  }
  await signPendingHeads(db, signer);
}

/**
 * One stream's events as they are stored (personal parts sealed, as hashed), each with its
 * inclusion proof to the tenant's latest signed checkpoint, and the stream's head at that
 * checkpoint signed: everything `verify-export` needs, and nothing readable of a child.
 */
export async function exportStream(
  storage: Storage,
  signer: TreeHeadSigner,
  streamId: string,
): Promise<AuditExport | string> {
  await catchUpAuditTree(storage, signer);
  const events = await storage.store.readStream(streamId);
  const first = events[0];
  if (first === undefined) return `There is no stream ${streamId}.`;
  const tenant = first.metadata.actor.tenant;
  const reader: Principal = { id: 'cli', role: 'admin', tenant } as Principal;
  const trees = new AuditTrees(storage.db);
  const checkpoint = await trees.latest(reader);
  if (checkpoint === null) return `No checkpoint has been signed for LA ${tenant} yet: is the worker running?`;
  const proofs = await trees.inclusion(
    reader,
    events.map((e) => e.id),
    checkpoint.treeSize,
  );
  // Events recorded after the checkpoint are not in it: the export stops where the checkpoint does.
  const covered = events.slice(0, proofs.length);
  const last = covered.at(-1);
  if (last === undefined) return `No checkpoint covers ${streamId} yet: is the worker running?`;
  return {
    format: 'small-steps-audit-export/1',
    streamId,
    events: covered.map((e) => ({
      streamId: e.streamId,
      version: e.version,
      id: e.id,
      type: e.type,
      schemaVersion: e.schemaVersion,
      data: e.data,
      personal: e.personal,
      metadata: e.metadata as unknown as Record<string, unknown>,
      recordedAt: e.recordedAt.toISOString(),
      previousHash: e.previousHash,
      hash: e.hash,
    })),
    proofs: proofs.map((p) => ({ eventId: p.event.id, leafIndex: p.leafIndex, proof: p.proof })),
    checkpoint,
    streamHead: signer.signStreamHead({
      streamId,
      version: last.version,
      hash: last.hash,
      treeSize: checkpoint.treeSize,
    }),
    keyId: signer.keyId,
  };
}
