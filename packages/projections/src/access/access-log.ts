import type { Principal } from '@small-steps/domain';
import { type Compilable, type Insertable, type Kysely, sql } from 'kysely';
import { decodeCursor, encodeCursor } from '../cursor.ts';
import type { AccessLogSchema, AccessLogTable } from './access-log-migration.ts';

/** What a read was made through: the route's pattern (never the URL with its values) and the reason given. */
export interface ReadAccess {
  route: string;
  reason?: string;
}

/**
 * A caller reading through a route. The reads record a read when it carries `access`; reads made
 * inside the service for another read (a plan laid over an attendance trend) carry none, so that
 * one request is one record per pupil.
 */
export interface Reader extends Principal {
  readonly access?: ReadAccess;
}

/** Whose record a read showed: the pupil, and the plan when it was one of theirs. */
export interface ReadSubject {
  pupilId: string;
  planId?: string;
}

/** One recorded read, as the access log answers it. */
export interface AccessRecord {
  at: string;
  actor: { id: string; role: string };
  pupilId: string | null;
  planId: string | null;
  route: string;
  reason: string | null;
}

export interface AccessLogQuery {
  pupilId?: string;
  actor?: string;
  from?: Date;
  to?: Date;
  limit: number;
  cursor?: string;
}

const CURSOR_TAG = 'a';

/**
 * Commits the statement it is part of without waiting for the disk flush (a CTE the statement must
 * select from, so that it runs; `set_config(…, true)` lasts to the end of the statement's own
 * transaction, its commit included). The row is committed, and seen by every later read, before
 * the read is answered; only a crash of the database server within about 0.6 s
 * (`wal_writer_delay` × 3) can lose it, and any synchronous commit after it (every append of an
 * event) flushes it first. Waiting for the flush was most of what a record cost at the tail
 * (docs/architecture.md, "Access-log rows commit without waiting for the disk").
 */
const RELAXED_COMMIT = sql<{ relaxed: string }>`select set_config('synchronous_commit', 'off', true) as relaxed`;
/** Most rows one statement writes: a bound on a statement's size (its eight arrays hold one value a row). */
const MAX_BATCH_ROWS = 1000;
/**
 * Batches written at once, each on its own connection: reads that arrive while one commits start
 * the next at once instead of queueing behind it. A few keep the pool for the reads themselves.
 */
const MAX_BATCHES_IN_FLIGHT = 4;

/**
 * The access log (docs/domain.md §7): every read of a pupil's record by a person, written before
 * the read is answered, so a read that cannot be recorded fails. Machine reads (`la_system`) of
 * records are not recorded one by one; their reads of the change feed are, once per page.
 */
export class AccessLog {
  readonly #db: Kysely<AccessLogSchema>;
  readonly #clock: () => Date;
  /** Reads waiting for their rows to be written, and the write under way. */
  readonly #waiting: { rows: Insertable<AccessLogTable>[]; resolve(): void; reject(error: unknown): void }[] = [];
  #writers = 0;

  constructor(db: Kysely<object>, clock: () => Date) {
    this.#db = db.withTables<AccessLogSchema>();
    this.#clock = clock;
  }

  /** Records that the reader was shown these pupils' records (each once), when a person read through a route. */
  async record(reader: Reader, subjects: readonly ReadSubject[]): Promise<void> {
    if (!this.#recorded(reader) || subjects.length === 0) return;
    const seen = new Map(subjects.map((s) => [`${s.pupilId}/${s.planId ?? ''}`, s]));
    await this.#insert(reader, reader.access, [...seen.values()]);
  }

  /**
   * Reads one record of a pupil and records the read in the same statement: the access-log row is
   * written from the row the read found (none when it found nothing, or the reader may not see it),
   * and committed before its rows come back. One round trip on one connection, where reading then
   * recording takes two. `read` must select `pupil_id`.
   */
  async readRecorded<Row extends { pupil_id: string }>(
    reader: Reader,
    planId: string | undefined,
    read: Compilable<Row> & { executeTakeFirst(): Promise<Row | undefined> },
  ): Promise<Row | undefined> {
    if (!this.#recorded(reader)) return read.executeTakeFirst();
    const { rows } = await sql<Row>`
      with relaxed as (${RELAXED_COMMIT}),
      found as (${read}),
      logged as (
        insert into access_log (tenant, at, actor_id, actor_role, pupil_id, plan_id, route, reason)
        select ${reader.tenant}, ${this.#clock()}::timestamptz, ${reader.id}, ${reader.role}, found.pupil_id,
          ${planId ?? null}::uuid, ${reader.access.route}, ${reader.access.reason ?? null}::text
        from found
      )
      select found.* from found, relaxed`.execute(this.#db);
    return rows[0];
  }

  /** Whether the reader's reads of records are recorded: a person's, made through a route. */
  #recorded(reader: Reader): reader is Reader & { access: ReadAccess } {
    return reader.access !== undefined && reader.role !== 'la_system';
  }

  /** Records one page of the change feed, for any reader: the page, not each pupil in it. */
  async recordPage(reader: Reader): Promise<void> {
    if (reader.access === undefined) return;
    await this.#insert(reader, reader.access, [null]);
  }

  #insert(reader: Reader, access: ReadAccess, subjects: readonly (ReadSubject | null)[]): Promise<void> {
    const at = this.#clock();
    const rows = subjects.map((subject) => ({
      tenant: reader.tenant,
      at,
      actor_id: reader.id,
      actor_role: reader.role,
      pupil_id: subject?.pupilId ?? null,
      plan_id: subject?.planId ?? null,
      route: access.route,
      reason: access.reason ?? null,
    }));
    return new Promise((resolve, reject) => {
      this.#waiting.push({ rows, resolve, reject });
      if (this.#writers < MAX_BATCHES_IN_FLIGHT) {
        this.#writers++;
        void this.#write();
      }
    });
  }

  /**
   * Writes the rows waiting, a batch per statement, while any wait: the reads that arrive while
   * the batches in flight commit go together in the next. Each read still waits for its own rows to
   * commit, but a busy service runs a few statements for them instead of one per read, and holds a
   * few connections for it, not one per read.
   */
  async #write(): Promise<void> {
    while (this.#waiting.length > 0) {
      const batch = [this.#waiting.shift()!];
      let rows = batch[0]!.rows.length;
      for (let next = this.#waiting[0]; next && rows + next.rows.length <= MAX_BATCH_ROWS; next = this.#waiting[0]) {
        batch.push(this.#waiting.shift()!);
        rows += next.rows.length;
      }
      try {
        const rows = batch.flatMap((entry) => entry.rows);
        const column = <Key extends keyof Insertable<AccessLogTable>>(key: Key) => rows.map((row) => row[key] ?? null);
        await sql`
          with relaxed as (${RELAXED_COMMIT})
          insert into access_log (tenant, at, actor_id, actor_role, pupil_id, plan_id, route, reason)
          select r.* from relaxed, unnest(
            ${column('tenant')}::text[], ${column('at')}::timestamptz[], ${column('actor_id')}::text[],
            ${column('actor_role')}::text[], ${column('pupil_id')}::uuid[], ${column('plan_id')}::uuid[],
            ${column('route')}::text[], ${column('reason')}::text[]
          ) as r`.execute(this.#db);
        for (const entry of batch) entry.resolve();
      } catch (error) {
        for (const entry of batch) entry.reject(error);
      }
    }
    this.#writers--;
  }

  /** A page of the reader's LA's log, oldest first; the read of the log is itself recorded. */
  async page(reader: Reader, query: AccessLogQuery): Promise<{ items: AccessRecord[]; next: string | null }> {
    let select = this.#db
      .selectFrom('access_log')
      .select(['id', 'at', 'actor_id', 'actor_role', 'pupil_id', 'plan_id', 'route', 'reason'])
      .where('tenant', '=', reader.tenant)
      .orderBy('id')
      .limit(query.limit + 1);
    if (query.pupilId !== undefined) select = select.where('pupil_id', '=', query.pupilId);
    if (query.actor !== undefined) select = select.where('actor_id', '=', query.actor);
    if (query.from !== undefined) select = select.where('at', '>=', query.from);
    if (query.to !== undefined) select = select.where('at', '<', query.to);
    if (query.cursor !== undefined) select = select.where('id', '>', BigInt(decodeCursor(query.cursor, CURSOR_TAG)));
    const rows = await select.execute();
    if (reader.access !== undefined) {
      await this.#insert(reader, reader.access, [query.pupilId === undefined ? null : { pupilId: query.pupilId }]);
    }
    const last = rows.length > query.limit ? rows[query.limit - 1] : undefined;
    return {
      items: rows.slice(0, query.limit).map((row) => ({
        at: row.at.toISOString(),
        actor: { id: row.actor_id, role: row.actor_role },
        pupilId: row.pupil_id,
        planId: row.plan_id,
        route: row.route,
        reason: row.reason,
      })),
      next: last ? encodeCursor(CURSOR_TAG, last.id) : null,
    };
  }
}

/** The reader as a plain principal: for reads made inside another read, which that read records. */
export const unrecorded = ({ id, role, tenant, schoolUrn }: Reader): Principal => ({
  id,
  role,
  tenant,
  ...(schoolUrn === undefined ? {} : { schoolUrn }),
});
