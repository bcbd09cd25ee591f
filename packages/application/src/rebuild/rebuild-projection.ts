import {
  type EventStore,
  type EventStoreSchema,
  type LogPosition,
  readCommittedLog,
  START_OF_LOG,
  type StoredEvent,
  TransactionTx,
} from '@small-steps/event-store';
import { handlesType, type Projection } from '@small-steps/projections';
import { type Kysely, sql } from 'kysely';
import { compareTables, type TableComparison } from './compare-tables.ts';
import { ShadowTables } from './shadow-tables.ts';

/** Where a projection is kept: in each append's transaction, or from the log by a checkpointed runner. */
export type ProjectionKind = 'inline' | 'worker';

/** How far a rebuild is: events of the log read, of about how many, and how fast. */
export interface RebuildProgress {
  /** Replaying the log without locks; then catching up and switching under them; then done. */
  phase: 'replaying' | 'switching' | 'done';
  events: number;
  total: number;
  eventsPerSecond: number;
}

export interface RebuildOptions {
  /** Only compare: the live tables stay as they are. */
  dryRun?: boolean;
  /** Events read from the log at a time (default 1000). */
  pageSize?: number;
  /** Differences listed at most, per table (all are counted; default 20). */
  maxDifferences?: number;
  /** Told after each page and at each phase; a promise it returns is awaited (a caller may pace the rebuild). */
  onProgress?: (progress: RebuildProgress) => void | Promise<void>;
}

export interface RebuildReport {
  projection: string;
  kind: ProjectionKind;
  /** Events of the log read, and of them those the projection handles. */
  events: number;
  applied: number;
  /** Where the rebuilt tables stand in the log (a worker projection's checkpoint is set to it). */
  position: LogPosition;
  tables: TableComparison[];
  /** Whether the rebuilt tables replaced the live ones. */
  switched: boolean;
  /** A worker projection whose runner was behind the rebuild: the live tables were compared at its checkpoint. */
  liveBehind: boolean;
  seconds: number;
}

export interface RebuildSource {
  db: Kysely<object>;
  /** The log as projections read it (personal parts opened), for the long replay. */
  store: Pick<EventStore, 'readAll'>;
  /** Opens the personal parts of events read inside a transaction, through it. */
  open(events: StoredEvent[], trx: Kysely<object>): Promise<StoredEvent[]>;
}

/**
 * Rebuilds a projection's tables from the start of the log into shadow copies, compares them row
 * by row with the live ones, and (unless a dry run) puts them in their place in one transaction.
 * The long replay runs beside the live service; only the last step holds locks: for an inline
 * projection, appends are kept out while the copies catch up with the last events and switch; for
 * a worker projection, its checkpoint row is locked, so that the runner waits, and set to where the
 * copies stand (docs/architecture.md, "Rebuilding a read model").
 */
export async function rebuildProjection(
  source: RebuildSource,
  projection: Projection,
  kind: ProjectionKind,
  options: RebuildOptions = {},
): Promise<RebuildReport> {
  const { db } = source;
  const { dryRun = false, pageSize = 1000, maxDifferences = 20, onProgress = () => {} } = options;
  const started = performance.now();
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  const live = rows[0]!.schema;
  let total = await countEvents(db);
  const shadow = new ShadowTables(live, `rebuild_${projection.name}`, projection.tables);
  const counts = { events: 0, applied: 0 };
  // The copies get their keys when a batch first needs them, or after the replay (ShadowTables.addKeys).
  let keyed = false;
  const progress = (phase: RebuildProgress['phase']) =>
    onProgress({
      phase,
      events: counts.events,
      total: Math.max(total, counts.events),
      eventsPerSecond: counts.events / Math.max((performance.now() - started) / 1000, 1e-3),
    });
  const apply = async (trx: Kysely<object>, events: readonly StoredEvent[]) => {
    const mine = events.filter((event) => handlesType(projection, event.type));
    counts.events += events.length;
    counts.applied += mine.length;
    if (mine.length === 0) return;
    if (!keyed && (projection.needsKeys?.(mine) ?? true)) {
      await shadow.addKeys(trx);
      keyed = true;
    }
    const tx = new TransactionTx(trx.withTables<EventStoreSchema>());
    await shadow.within(trx, () => projection.apply(mine, tx));
    return tx;
  };

  await shadow.create(db);
  try {
    let position: LogPosition = START_OF_LOG;
    // Appends go on meanwhile: each pass reads up to the log's length when it began, and the tail
    // they add is what the locked switch catches up, so a busy log cannot keep a rebuild chasing it.
    for (let pass = 0; pass === 0 || (pass < PASSES && total - counts.events >= pageSize); pass++) {
      // The next page is read while this one is applied (a read and a write on two connections).
      const read = (after: LogPosition) => {
        const page = source.store.readAll({ after, maxCount: pageSize });
        page.catch(() => {}); // awaited below; a page left unread when a write fails is not an unhandled error
        return page;
      };
      let next = read(position);
      while (counts.events < total) {
        const page = await next;
        if (page.events.length === 0) break;
        position = page.position;
        if (counts.events + page.events.length < total) next = read(position);
        const tx = await db.transaction().execute(async (trx) => {
          // Until the switch the copies are the rebuild's own: a crash loses them whole (they are made
          // again from the start), so these commits need not wait for the disk.
          await sql`set local synchronous_commit = off`.execute(trx);
          return apply(trx, page.events);
        });
        // Remembered states (a plan's, a pupil's) are the projection's cache, as after a runner's batch.
        tx?.committed();
        await progress('replaying');
      }
      total = await countEvents(db);
    }
    if (!keyed) {
      await shadow.addKeys(db);
      keyed = true;
    }
    await shadow.index(db);
    await progress('switching');
    const result = await db.transaction().execute(async (trx) => {
      let liveBehind = false;
      if (kind === 'inline') {
        // Appends write the inline tables in their own transaction: with the log locked, none is
        // under way, and the live tables hold every committed event. The copies read the same.
        await sql`lock table events in exclusive mode`.execute(trx);
        await lockLive(trx, shadow, dryRun);
        position = await catchUp(trx, source, apply, { after: position, pageSize, types: [...projection.handles] });
      } else {
        const checkpoint = await lockCheckpoint(trx, projection.name);
        await lockLive(trx, shadow, dryRun);
        // The runner may have gone past the copies meanwhile: bring them to its checkpoint, so that
        // both are compared at one position. Behind them, the live tables miss the events between.
        const reached = await catchUp(trx, source, apply, { after: position, pageSize, upTo: checkpoint });
        liveBehind = reached !== checkpoint;
        position = reached;
      }
      const tables: TableComparison[] = [];
      for (const table of projection.tables) {
        tables.push(await compareTables(trx, { live, rebuilt: shadow.shadow, table, limit: maxDifferences }));
      }
      if (!dryRun) {
        await shadow.switchIn(trx);
        if (kind === 'worker') await setCheckpoint(trx, projection.name, position, counts.applied);
      }
      return { tables, liveBehind };
    });
    await progress('done');
    return {
      projection: projection.name,
      kind,
      events: counts.events,
      applied: counts.applied,
      position,
      tables: result.tables,
      switched: !dryRun,
      liveBehind: result.liveBehind,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    await shadow.drop(db);
  }
}

/** Passes over the log without locks before the switch; a log that outruns them is caught up under it. */
const PASSES = 3;

async function countEvents(db: Kysely<object>): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from events`.execute(db);
  return rows[0]!.n;
}

/** Reads the committed log past `after` inside the locked transaction and applies it to the copies. */
async function catchUp(
  trx: Kysely<object>,
  source: RebuildSource,
  apply: (trx: Kysely<object>, events: readonly StoredEvent[]) => Promise<TransactionTx | undefined>,
  { after, pageSize, types, upTo }: { after: LogPosition; pageSize: number; types?: string[]; upTo?: LogPosition },
): Promise<LogPosition> {
  let position = after;
  for (;;) {
    const page = await readCommittedLog(trx, {
      after: position,
      maxCount: pageSize,
      ...(types === undefined ? {} : { types }),
      ...(upTo === undefined ? {} : { upTo }),
    });
    if (page.events.length === 0) return position;
    await apply(trx, await source.open(page.events, trx));
    position = page.position;
  }
}

/** A dry run lets readers on; a switch drops the live tables, so it waits for them and keeps them out. */
async function lockLive(trx: Kysely<object>, shadow: ShadowTables, dryRun: boolean): Promise<void> {
  const mode = dryRun ? sql`share` : sql`access exclusive`;
  for (const table of shadow.tables) {
    await sql`lock table ${sql.id(shadow.live, table)} in ${mode} mode`.execute(trx);
  }
}

/** Locks the projection's checkpoint row (a runner's batch waits for it) and gives its position. */
async function lockCheckpoint(trx: Kysely<object>, name: string): Promise<LogPosition> {
  await sql`insert into projection_checkpoints (name, position, updated_at) values (${name}, ${START_OF_LOG}, now())
    on conflict (name) do nothing`.execute(trx);
  const { rows } = await sql<{ position: LogPosition }>`
    select position from projection_checkpoints where name = ${name} for update`.execute(trx);
  return rows[0]!.position;
}

/** The checkpoint moves to where the rebuilt tables stand; a runner's batch read before it is refused. */
async function setCheckpoint(trx: Kysely<object>, name: string, position: LogPosition, applied: number) {
  await sql`update projection_checkpoints set position = ${position}, events_applied = ${applied},
    updated_at = now(), failed_position = null, failed_event_id = null, failed_event_type = null, error = null,
    failed_at = null
    where name = ${name}`.execute(trx);
}
