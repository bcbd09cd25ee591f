import { type Kysely, sql } from 'kysely';
import type { SignedHead, SignedStreamHeads } from './record-verification.ts';

/**
 * A stream's head as the tenant's latest signed checkpoint covers it: its last event among the
 * tree's first `treeSize` leaves. Verification compares the stream with it, so events a checkpoint
 * signed that are gone from the log are found even where the read model was rewritten without them.
 */
export class CheckpointedStreamHeads implements SignedStreamHeads {
  readonly #db: Kysely<object>;

  constructor(db: Kysely<object>) {
    this.#db = db;
  }

  async latest(tenant: string, streamId: string): Promise<SignedHead | undefined> {
    const { rows } = await sql<{ version: number; event_hash: string }>`
      select l.version, l.event_hash from audit_leaves l
      where l.tenant = ${tenant} and l.stream_id = ${streamId}
        and l.leaf_index < (select max(c.tree_size) from audit_checkpoints c where c.tenant = ${tenant})
      order by l.version desc
      limit 1`.execute(this.#db);
    const row = rows[0];
    return row === undefined ? undefined : { version: row.version, hash: row.event_hash };
  }
}
