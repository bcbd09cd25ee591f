import {
  attendanceEventUpcasters,
  FEED_KINDS,
  type FeedEvent,
  type FeedKind,
  type FeedPage,
  planEventUpcasters,
  pupilEventUpcasters,
  type StoredPayload,
  type UpcasterRegistry,
} from '@small-steps/contracts';
import type { Principal, Role } from '@small-steps/domain';
import {
  type EventStore,
  type LogFilter,
  type LogPosition,
  START_OF_LOG,
  type StoredEvent,
} from '@small-steps/event-store';
import { type Kysely, sql } from 'kysely';
import type { AccessLog, Reader } from '../access/access-log.ts';
import { decodeLogCursor, encodeLogCursor } from '../cursor.ts';
import type { PlanViewsSchema } from '../plans/plan-views-table.ts';
import type { PupilDirectorySchema } from '../pupils/pupil-directory-table.ts';

/**
 * Roles that may read the feed. Each sees every event's data and personal parts, as it sees them
 * in a plan's history and a pupil's record; the analyst's pseudonymous role sees no records at all.
 */
export const FEED_READERS = ['la_system', 'la_officer', 'school_staff', 'auditor'] as const satisfies readonly Role[];

const CURSOR_TAG = 'f';

/** Each kind's streams, by the start of their id, and how their stored payloads read today. */
const KINDS: Record<FeedKind, { prefix: string; upcasters: UpcasterRegistry }> = {
  plan: { prefix: 'plan-', upcasters: planEventUpcasters },
  pupil: { prefix: 'pupil-', upcasters: pupilEventUpcasters },
  attendance: { prefix: 'attendance-', upcasters: attendanceEventUpcasters },
};

const kindOf = (streamId: string): FeedKind | undefined =>
  FEED_KINDS.find((kind) => streamId.startsWith(KINDS[kind].prefix));

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface FeedRequest {
  /** The `next` cursor of the previous page; absent for the start of the log. */
  after?: string;
  /** Most events per page (an event that reads as several items today comes whole). */
  limit: number;
  /** Only events of these kinds (default: all). */
  kinds?: readonly FeedKind[];
  /** Only events recorded at or after this instant. */
  since?: Date;
  /** With nothing new, wait up to this long for new events before answering (default 0). */
  waitMs?: number;
  /** Ends a wait early (the caller went away, the service is closing): the page is answered as it is. */
  signal?: AbortSignal;
}

export interface FeedReadsOptions {
  /**
   * Most events of the caller's tenant a request for school staff reads and checks against the
   * school's visibility, at least its `limit` (default 1000): what bounds the cost of a request
   * that finds few events the school may see.
   */
  schoolScan?: number;
  /** Most events a read with kind or time filters looks at in the store (default 10,000). */
  maxScanned?: number;
  /** Longest a long-poll waits for a notification before reading again anyway (default 1 s). */
  pollMs?: number;
}

/** A stored event as the feed shows it: each payload it reads as today, with the stored event's facts. */
function feedItems(event: StoredEvent, kind: FeedKind): FeedEvent[] {
  return KINDS[kind].upcasters.upcast(event).map(
    (current: StoredPayload, part): FeedEvent => ({
      eventId: event.id,
      part,
      type: current.type as FeedEvent['type'],
      kind,
      streamId: event.streamId,
      version: event.version,
      schemaVersion: current.schemaVersion,
      recordedAt: event.recordedAt.toISOString(),
      actor: { id: event.metadata.actor.id, role: event.metadata.actor.role },
      data: current.data,
      personal: current.personal,
    }),
  );
}

/** A page as read: its items and where the next read continues. */
interface Read {
  items: FeedEvent[];
  position: LogPosition;
}

/**
 * The change feed: the caller's tenant's events in log order, each read through its codec's
 * upcasters as the current version, with a cursor that never skips an event that commits late (the
 * store's gap-free read). School staff see their school's registers, and the events of plans and
 * pupils their school can see now. Each request reads a bounded number of events, and its cursor
 * moves past every event it read, shown or not. Every read of the feed goes through here, so that
 * reads can be recorded (docs/domain.md §7).
 */
export class FeedReads {
  readonly #store: EventStore;
  readonly #accessLog: AccessLog;
  readonly #db: Kysely<PlanViewsSchema & PupilDirectorySchema>;
  readonly #schoolScan: number;
  readonly #maxScanned: number;
  readonly #pollMs: number;

  constructor(store: EventStore, db: Kysely<object>, accessLog: AccessLog, options: FeedReadsOptions = {}) {
    this.#store = store;
    this.#accessLog = accessLog;
    this.#db = db.withTables<PlanViewsSchema & PupilDirectorySchema>();
    this.#schoolScan = options.schoolScan ?? 1000;
    this.#maxScanned = options.maxScanned ?? 10_000;
    this.#pollMs = options.pollMs ?? 1000;
  }

  /**
   * A page of the feed after `request.after`. With nothing new and `waitMs`, waits for new events
   * (a notification, or a read every `pollMs`) until one is readable or the time is up; a page
   * with nothing new has `next` equal to the cursor sent. An invalid cursor is an `InvalidCursor`
   * naming `after`.
   */
  async page(principal: Reader, request: FeedRequest): Promise<FeedPage> {
    if (!(FEED_READERS as readonly Role[]).includes(principal.role)) {
      throw new Error(`The ${principal.role} role may not read the feed.`);
    }
    const start = request.after === undefined ? START_OF_LOG : decodeLogCursor(request.after, CURSOR_TAG, 'after');
    const deadline = Date.now() + (request.waitMs ?? 0);
    for (;;) {
      const read = await this.#read(principal, start, request);
      // Anything read, shown or not, ends the request: one read's worth of work per request.
      if (read.position !== start || Date.now() >= deadline || request.signal?.aborted) {
        const unmoved = read.position === start && request.after !== undefined;
        // Recorded once per page, whoever reads: a page is read before it is answered.
        await this.#accessLog.recordPage(principal);
        return { items: read.items, next: unmoved ? request.after! : encodeLogCursor(CURSOR_TAG, read.position) };
      }
      await this.#waitForEvents(Math.min(this.#pollMs, deadline - Date.now()), request.signal);
    }
  }

  async #read(principal: Principal, after: LogPosition, request: FeedRequest): Promise<Read> {
    const kinds = request.kinds ?? FEED_KINDS;
    const filter: LogFilter = { tenant: principal.tenant };
    // Every stream of the log is one of the kinds: all of them need no filter on the stream.
    if (FEED_KINDS.some((kind) => !kinds.includes(kind))) {
      filter.streamIdPrefixes = kinds.map((kind) => KINDS[kind].prefix);
    }
    if (request.since !== undefined) filter.recordedSince = request.since;
    const schoolUrn = principal.schoolUrn;
    const read = await this.#store.readAll({
      after,
      maxCount: schoolUrn === undefined ? request.limit : Math.max(request.limit, this.#schoolScan),
      filter,
      maxScanned: this.#maxScanned,
    });
    if (schoolUrn === undefined) {
      const items = read.events.flatMap((event) => {
        const kind = kindOf(event.streamId);
        return kind === undefined ? [] : feedItems(event, kind);
      });
      return { items, position: read.position };
    }
    return this.#atSchool(principal, schoolUrn, read.events, read.position, request.limit);
  }

  /**
   * The events school staff may see, in order, up to `limit` of them: their school's registers, and
   * the plans and pupils their school can see now. The position is after the last event shown, or
   * after every event read when fewer than `limit` were shown.
   */
  async #atSchool(
    principal: Principal,
    schoolUrn: string,
    events: readonly StoredEvent[],
    readTo: LogPosition,
    limit: number,
  ): Promise<Read> {
    const visible = await this.#visibleRecords(principal, schoolUrn, events);
    const items: FeedEvent[] = [];
    let shown = 0;
    for (const event of events) {
      const kind = kindOf(event.streamId);
      if (kind === undefined) continue;
      // A register's stream is its school's: `attendance-<LA>-<URN>-<date>`. Version 1 was a stream per
      // pupil and year, across schools, and reads as one event per school and day: its payload says whose.
      const mine =
        kind === 'attendance'
          ? feedItems(event, kind).filter((item) => item.data.schoolUrn === schoolUrn)
          : visible.has(event.streamId.toLowerCase())
            ? feedItems(event, kind)
            : [];
      if (mine.length === 0) continue;
      items.push(...mine);
      if (++shown === limit) return { items, position: event.logPosition };
    }
    return { items, position: readTo };
  }

  /** The plan and pupil streams among `events` whose records the school can see now (ids in lower case). */
  async #visibleRecords(principal: Principal, schoolUrn: string, events: readonly StoredEvent[]): Promise<Set<string>> {
    const idsOf = (kind: FeedKind) => [
      ...new Set(
        events.flatMap((event) => {
          const id = event.streamId.slice(KINDS[kind].prefix.length).toLowerCase();
          return kindOf(event.streamId) === kind && UUID.test(id) ? [id] : [];
        }),
      ),
    ];
    const [planIds, pupilIds] = [idsOf('plan'), idsOf('pupil')];
    const school = JSON.stringify([schoolUrn]);
    const [plans, pupils] = await Promise.all([
      planIds.length === 0
        ? []
        : this.#db
            .selectFrom('plan_views')
            .select('plan_id as id')
            .where('tenant', '=', principal.tenant)
            .where(sql<boolean>`plan_id in (select unnest(${planIds}::uuid[]))`)
            .where(sql<boolean>`school_urns @> ${school}::jsonb`)
            .execute(),
      pupilIds.length === 0
        ? []
        : this.#db
            .selectFrom('pupil_directory')
            .select('pupil_id as id')
            .where('tenant', '=', principal.tenant)
            .where(sql<boolean>`pupil_id in (select unnest(${pupilIds}::uuid[]))`)
            .where(sql<boolean>`on_roll_at @> ${school}::jsonb`)
            .execute(),
    ]);
    return new Set([
      ...plans.map((row) => `${KINDS.plan.prefix}${row.id}`),
      ...pupils.map((row) => `${KINDS.pupil.prefix}${row.id}`),
    ]);
  }

  /** Waits for new events, at most `ms`, or until `signal` aborts. */
  async #waitForEvents(ms: number, signal: AbortSignal | undefined): Promise<void> {
    if (signal === undefined) return this.#store.waitForEvents(ms);
    if (signal.aborted) return;
    let stop = () => {};
    const aborted = new Promise<void>((resolve) => {
      stop = resolve;
      signal.addEventListener('abort', stop, { once: true });
    });
    try {
      await Promise.race([this.#store.waitForEvents(ms), aborted]);
    } finally {
      signal.removeEventListener('abort', stop);
    }
  }
}
