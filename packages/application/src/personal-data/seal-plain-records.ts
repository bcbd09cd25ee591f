import {
  type EventStoreSchema,
  eventHash,
  type LogPosition,
  readCommittedLog,
  type SqlStorage,
  START_OF_LOG,
  type StoredEvent,
  TransactionTx,
} from '@small-steps/event-store';
import { handlesType, type Projection, resetAuditTree } from '@small-steps/projections';
import { type Kysely, type RawBuilder, sql } from 'kysely';
import { isSealed, type PersonalDataVault, type Subject } from './personal-data-vault.ts';

/** What sealing a store made before encryption changed. */
export interface SealingSummary {
  streams: number;
  events: number;
}

/** The pupil a stored event's personal part is about, and its class; undefined when it cannot be told. */
function subjectOf(event: StoredEvent, planPupil: string | undefined): Subject | undefined {
  const tenant = event.metadata.actor.tenant;
  if (event.streamId.startsWith('pupil-'))
    return { id: event.streamId.slice('pupil-'.length), class: 'records', tenant };
  if (event.streamId.startsWith('plan-') && planPupil) return { id: planPupil, class: 'records', tenant };
  const pupilId = event.data.pupilId;
  if (event.type === 'AttendanceCorrected' && typeof pupilId === 'string')
    return { id: pupilId, class: 'register', tenant };
  return undefined;
}

/**
 * One-off, for a store whose events were written before personal data was sealed: seals each plain
 * personal part under its pupil's key, re-chains the hashes of each stream from its first changed
 * event (the hashes covered the plain bytes, which must go), records each stream's old and new head
 * hash in `record_sealing_log`, then rebuilds the inline read models from the sealed log and leaves
 * the audit tree to be built again (its leaves held the old hashes). Run with
 * the service stopped: the log is locked against appends meanwhile.
 */
export async function sealPlainRecords(
  storage: Pick<SqlStorage, 'db'>,
  vault: PersonalDataVault,
  inlineProjections: readonly Projection[],
  onProgress: (done: number) => void = () => {},
): Promise<SealingSummary> {
  return storage.db.transaction().execute(async (trx) => {
    await sql`lock table events in exclusive mode`.execute(trx);
    await sql`create table if not exists record_sealing_log (
      stream_id text primary key, old_head_hash text not null, new_head_hash text not null,
      sealed_events integer not null, sealed_at timestamptz not null default now())`.execute(trx);
    const db = trx.withTables<EventStoreSchema>();
    const via = async <Row>(statement: RawBuilder<Row>) => (await statement.execute(trx)).rows;
    const { rows: streams } = await sql<{ stream_id: string }>`
      select distinct stream_id from events
      where jsonb_typeof(personal) = 'object' and personal->>'sealed' is null order by stream_id`.execute(trx);
    let events = 0;
    for (const [index, { stream_id: streamId }] of streams.entries()) {
      const stored = await new TransactionTx(db).readStream(streamId);
      const planPupil = stored.find((e) => e.type === 'PlanOpened')?.data.pupilId as string | undefined;
      let previousHash: string | null = null;
      let changed = 0;
      for (const event of stored) {
        const subject = subjectOf(event, planPupil);
        const mustSeal = event.personal !== null && !isSealed(event.personal) && subject !== undefined;
        const personal = mustSeal
          ? ((await vault.seal(subject!, event.personal, via)) as Record<string, unknown>)
          : event.personal;
        if (mustSeal || changed > 0) {
          const hash = eventHash({ ...event, personal, previousHash });
          await sql`update events set personal = ${personal === null ? null : JSON.stringify(personal)}::jsonb,
            previous_hash = ${previousHash},
            hash = ${hash} where stream_id = ${streamId} and stream_version = ${event.version}`.execute(trx);
          previousHash = hash;
          changed++;
        } else {
          previousHash = event.hash;
        }
      }
      await sql`insert into record_sealing_log (stream_id, old_head_hash, new_head_hash, sealed_events)
        values (${streamId}, ${stored.at(-1)!.hash}, ${previousHash!}, ${changed})
        on conflict (stream_id) do update set new_head_hash = excluded.new_head_hash`.execute(trx);
      events += changed;
      onProgress(index + 1);
    }
    if (streams.length > 0) {
      await replayInline(trx, vault, inlineProjections);
      // The audit tree holds the old hashes: the worker builds it again over the new ones.
      await resetAuditTree(trx);
    }
    return { streams: streams.length, events };
  });
}

/** Empties the inline read models and fills them again from the log, inside the caller's transaction. */
async function replayInline(trx: Kysely<object>, vault: PersonalDataVault, projections: readonly Projection[]) {
  const via = async <Row>(statement: RawBuilder<Row>) => (await statement.execute(trx)).rows;
  const opened = (events: readonly StoredEvent[]) =>
    Promise.all(
      events.map(async (event) =>
        event.personal === null
          ? event
          : { ...event, personal: (await vault.open(event.personal, via)) as Record<string, unknown> },
      ),
    );
  for (const table of projections.flatMap((p) => [...p.tables])) {
    await sql`delete from ${sql.table(table)}`.execute(trx);
  }
  const tx = new TransactionTx(trx.withTables<EventStoreSchema>());
  for (let after: LogPosition = START_OF_LOG; ; ) {
    const page = await readCommittedLog(trx, { after, maxCount: 1000 });
    if (page.events.length === 0) return;
    const events = await opened(page.events);
    for (const projection of projections) {
      const mine = events.filter((event) => handlesType(projection, event.type));
      if (mine.length > 0) await projection.apply(mine, tx);
    }
    after = page.position;
  }
}
