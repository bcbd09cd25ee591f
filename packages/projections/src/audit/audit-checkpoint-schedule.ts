import { type EventStoreSchema, TransactionTx, type TreeHeadSigner } from '@small-steps/event-store';
import { type Kysely, sql } from 'kysely';
import type { RunnerLog } from '../runner/projection-runner.ts';
import { RepeatingTask } from '../runner/repeating-task.ts';
import { AUDIT_TREE } from './audit-tree-projection.ts';
import { signHead } from './sign-head.ts';

export interface AuditCheckpointScheduleOptions {
  db: Kysely<object>;
  signer: TreeHeadSigner;
  /** A pending head whose oldest unsigned event is this old is signed (AUDIT_CHECKPOINT_SECONDS). */
  everySeconds: number;
  clock: () => Date;
  log: RunnerLog;
  /** Between looks (default a quarter of everySeconds, between 1 and 15 s). */
  intervalMs?: number;
}

/**
 * Signs the pending heads that no later event came to sign: a tenant whose events stop keeps no
 * event unsigned for much longer than `everySeconds` (at most a look's interval more). Each look
 * locks the audit tree's checkpoint row, so it never interleaves with the runner's batch; two
 * processes looking at once are harmless (the second finds nothing pending).
 */
export class AuditCheckpointSchedule {
  readonly #options: Required<AuditCheckpointScheduleOptions>;
  readonly #repeating: RepeatingTask;

  constructor(options: AuditCheckpointScheduleOptions) {
    this.#options = {
      intervalMs: Math.min(15_000, Math.max(1_000, (options.everySeconds * 1000) / 4)),
      ...options,
    };
    const { log, intervalMs } = this.#options;
    // A failed look is logged and tried at the next.
    this.#repeating = new RepeatingTask(async () => {
      try {
        const signed = await this.signDue();
        if (signed > 0) log.info({ signed }, 'audit checkpoints signed');
      } catch (error) {
        log.error({ err: error }, 'signing audit checkpoints failed');
      }
    }, intervalMs);
  }

  /** Looks now, then every interval, until stopped. */
  start(): void {
    this.#repeating.start();
  }

  async stop(): Promise<void> {
    await this.#repeating.stop();
  }

  /** Signs every pending head whose oldest unsigned event is `everySeconds` old by the clock; how many. */
  async signDue(): Promise<number> {
    const { db, signer, clock, everySeconds } = this.#options;
    return signPendingHeads(db, signer, new Date(clock().getTime() - everySeconds * 1000));
  }
}

/**
 * Signs the pending heads whose oldest unsigned event was recorded by `cutoff` (all of them without
 * one: a tool that wants the latest events covered now); how many. It locks the audit tree's
 * checkpoint row, so it never interleaves with the runner's batch.
 */
export async function signPendingHeads(db: Kysely<object>, signer: TreeHeadSigner, cutoff?: Date): Promise<number> {
  return db.transaction().execute(async (trx) => {
    await sql`select 1 from projection_checkpoints where name = ${AUDIT_TREE} for update`.execute(trx);
    const { rows } = await sql<{ tenant: string; tree_size: string; root_hash: string; head_timestamp: string }>`
      select tenant, tree_size::text as tree_size, root_hash, head_timestamp from audit_pending_heads
      where ${cutoff === undefined ? sql`true` : sql`oldest_unsigned_at <= ${cutoff.toISOString()}::timestamptz`}
      order by tenant`.execute(trx);
    const tx = new TransactionTx(trx.withTables<EventStoreSchema>());
    for (const row of rows) {
      await signHead(tx, signer, {
        tenant: row.tenant,
        treeSize: Number(row.tree_size),
        rootHash: row.root_hash,
        timestamp: row.head_timestamp,
      });
    }
    return rows.length;
  });
}
