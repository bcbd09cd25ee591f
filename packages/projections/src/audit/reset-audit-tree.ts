import { type Kysely, sql } from 'kysely';

/**
 * Forgets every LA's audit tree and where its projection had got to, so the worker builds it again
 * from the log: for `seal-records`, which rewrites stored hashes once, on the record. The heads
 * signed before it no longer match the log, and should not.
 */
export async function resetAuditTree(db: Kysely<object>): Promise<void> {
  await sql`delete from audit_leaves`.execute(db);
  await sql`delete from audit_nodes`.execute(db);
  await sql`delete from audit_checkpoints`.execute(db);
  await sql`delete from audit_pending_heads`.execute(db);
  await sql`delete from projection_checkpoints where name = 'audit_tree'`.execute(db);
}
