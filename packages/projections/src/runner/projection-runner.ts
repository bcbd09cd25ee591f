import {
  type EventStore,
  type EventStoreSchema,
  type Leases,
  type LogPosition,
  type StoredEvent,
  TransactionTx,
} from '@small-steps/event-store';
import type { Kysely } from 'kysely';
import { handlesType, type Projection } from '../projection.ts';
import { type Checkpoint, Checkpoints, type ProjectionFailure } from './checkpoints.ts';

/** What a runner is doing: waiting for its lease, applying the log, stopped by a failing handler, or stopped. */
export type RunnerState = 'standby' | 'running' | 'failed' | 'stopped';

export interface RunnerStatus {
  name: string;
  state: RunnerState;
  position: LogPosition;
  eventsApplied: number;
  /** Events in the log after the checkpoint, when last measured. */
  lagEvents: number;
  /** Seconds since the oldest event not yet applied was recorded (0 when caught up). */
  lagSeconds: number;
  failure: ProjectionFailure | null;
}

/** What a runner reports as it goes: batches applied, a failure, a lease taken or lost. */
export interface RunnerLog {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

export interface RunnerOptions {
  store: EventStore;
  db: Kysely<object>;
  leases: Leases;
  projection: Projection;
  log: RunnerLog;
  /** Events read per batch (default 500). */
  batchSize?: number;
  /** Longest wait for new events before reading again anyway (default 1 s). */
  pollMs?: number;
  /** How often a runner without the lease tries to take it (default 2 s). */
  leaseRetryMs?: number;
  clock?: () => Date;
}

/** Not the handler's fault: the lease was lost, or another runner applied the batch first. Read again. */
class Overtaken extends Error {}

// Lag is measured at most this often: it costs a count over the log's tail.
const LAG_EVERY_MS = 5_000;

/**
 * Runs one projection from the log: reads a batch after its checkpoint, applies it and moves the
 * checkpoint in one transaction, so a crash never applies an event twice or skips one. Of several
 * runners of one projection (several workers) the one holding its lease applies; the others wait
 * and take over within `leaseRetryMs` when it dies. A handler that fails on an event stops this
 * projection only, recording the event and the error; the database being away only pauses it.
 */
export class ProjectionRunner {
  readonly #options: Required<Omit<RunnerOptions, 'clock'>> & { clock: () => Date };
  readonly #checkpoints: Checkpoints;
  #state: RunnerState = 'stopped';
  #checkpoint: Checkpoint = { position: '0' as LogPosition, eventsApplied: 0, updatedAt: null, failure: null };
  #lag = { events: 0, seconds: 0, measuredAt: 0 };
  #running: Promise<void> | null = null;
  #stopping = false;
  #wake: (() => void) | null = null;
  /** The page after the batch being applied, read meanwhile; used only if the checkpoint got there. */
  #next: { after: LogPosition; page: ReturnType<EventStore['readAll']> } | null = null;

  constructor(options: RunnerOptions) {
    this.#options = {
      batchSize: 500,
      pollMs: 1_000,
      leaseRetryMs: 2_000,
      clock: () => new Date(),
      ...options,
    };
    this.#checkpoints = new Checkpoints(options.db);
  }

  get name(): string {
    return this.#options.projection.name;
  }

  status(): RunnerStatus {
    return {
      name: this.name,
      state: this.#state,
      position: this.#checkpoint.position,
      eventsApplied: this.#checkpoint.eventsApplied,
      lagEvents: this.#lag.events,
      lagSeconds: this.#lag.seconds,
      failure: this.#checkpoint.failure,
    };
  }

  start(): void {
    if (this.#running !== null) return;
    this.#stopping = false;
    this.#state = 'standby';
    this.#running = this.#loop().finally(() => {
      this.#running = null;
    });
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    this.#wake?.();
    await this.#running;
    await this.#options.leases.release(this.name);
    if (this.#state !== 'failed') this.#state = 'stopped';
  }

  /**
   * Runs until caught up with the log as it stands now, holding the lease meanwhile (tests, tools);
   * on a started runner, waits until its loop has got there.
   * Events already committed may not be readable yet: on a shared server another session's open
   * transaction holds the read horizon back. It waits for them, up to `timeoutMs`, rather than
   * returning with them unapplied.
   */
  async catchUp({ timeoutMs = 30_000 } = {}): Promise<void> {
    const { leases, store } = this.#options;
    const deadline = Date.now() + timeoutMs;
    if (this.#running !== null) return this.#awaitLoop(deadline);
    if (!(await leases.tryTake(this.name))) throw new Error(`Another process runs ${this.name}.`);
    this.#checkpoint = await this.#checkpoints.read(this.name);
    for (;;) {
      while ((await this.#batch()) === 'applied');
      const unread = await store.countEventsAfter(this.#checkpoint.position);
      if (unread === 0 || Date.now() > deadline) break;
      await store.waitForEvents(20);
    }
    await this.#measureLag(true);
  }

  /**
   * A started runner is caught up by its own loop (or by the process holding the lease): applying
   * batches here as well would race it for the same checkpoint. So wait until the checkpoint reaches
   * the end of the log; a failure it records fails this, as it fails a catch-up that applies itself.
   */
  async #awaitLoop(deadline: number): Promise<void> {
    const { store } = this.#options;
    for (;;) {
      const checkpoint = await this.#checkpoints.read(this.name);
      const { failure } = checkpoint;
      if (failure !== null) {
        throw new Error(
          `${this.name} stopped at ${failure.position} on ${failure.eventType} ${failure.eventId}: ${failure.error}`,
        );
      }
      if ((await store.countEventsAfter(checkpoint.position)) === 0 || Date.now() > deadline) return;
      await store.waitForEvents(20);
    }
  }

  async #loop(): Promise<void> {
    const { leases, store, pollMs, leaseRetryMs, log } = this.#options;
    let pause = 0;
    while (!this.#stopping) {
      try {
        this.#checkpoint = await this.#checkpoints.read(this.name);
        if (this.#checkpoint.failure !== null) {
          this.#state = 'failed';
          return;
        }
        if (!leases.isHeld(this.name) && !(await leases.tryTake(this.name))) {
          this.#state = 'standby';
          await this.#sleep(leaseRetryMs);
          continue;
        }
        if (this.#state !== 'running') log.info({ projection: this.name }, 'projection lease taken');
        this.#state = 'running';
        const result = await this.#batch();
        pause = 0;
        await this.#measureLag(result === 'caught-up');
        if (result === 'caught-up') await Promise.race([store.waitForEvents(pollMs), this.#sleep(pollMs)]);
      } catch (error) {
        if (this.#state === 'failed') return;
        if (error instanceof Overtaken) continue;
        // The database is away (a restart, a network break): wait and go on, doubling up to 30 s.
        pause = Math.min(Math.max(pause * 2, 500), 30_000);
        log.warn(
          { projection: this.name, err: error, retryInMs: pause },
          'projection paused: the database did not answer',
        );
        await this.#sleep(pause);
      }
    }
  }

  /** Applies the next batch; `caught-up` when there was nothing to read. */
  async #batch(): Promise<'applied' | 'caught-up'> {
    const { store, batchSize, projection } = this.#options;
    const from = this.#checkpoint.position;
    const page = await this.#read(from);
    if (page.events.length === 0) return 'caught-up';
    // A full page: more may follow, so the next is read while this one is applied (the read and the
    // batch's transaction overlap, on two connections where the database has them).
    if (page.events.length === batchSize) this.#readAhead(page.position);
    const events = page.events.filter((event) => handlesType(projection, event.type));
    try {
      await this.#commit(from, page.position, events);
    } catch (error) {
      if (error instanceof Overtaken || !(await store.isReady())) throw error;
      await this.#findFailing(from, page.events);
    }
    this.#checkpoint = await this.#checkpoints.read(this.name);
    return 'applied';
  }

  /** The page after `after`: the one read ahead if it starts there, else read now. */
  async #read(after: LogPosition): ReturnType<EventStore['readAll']> {
    const ahead = this.#next;
    this.#next = null;
    if (ahead !== null && ahead.after === after) {
      try {
        return await ahead.page;
      } catch {
        // Read again below: a failure now is this batch's to report.
      }
    }
    return this.#options.store.readAll({ after, maxCount: this.#options.batchSize });
  }

  #readAhead(after: LogPosition): void {
    const page = this.#options.store.readAll({ after, maxCount: this.#options.batchSize });
    page.catch(() => {}); // a page read ahead and never used is not an unhandled error
    this.#next = { after, page };
  }

  /** Applies events and moves the checkpoint from `from` to `to` in one transaction. */
  async #commit(from: LogPosition, to: LogPosition, events: readonly StoredEvent[]): Promise<void> {
    const { db, projection, clock, leases } = this.#options;
    if (!leases.isHeld(this.name)) throw new Overtaken('The lease was lost.');
    let tx: TransactionTx | undefined;
    const moved = await db.transaction().execute(async (trx) => {
      if (!(await this.#checkpoints.advance(trx, this.name, from, to, events.length, clock()))) return false;
      tx = new TransactionTx(trx.withTables<EventStoreSchema>());
      if (events.length > 0) await projection.apply(events, tx);
      return true;
    });
    // Another runner moved the checkpoint first: this batch was applied there, and is not applied again.
    if (!moved) throw new Overtaken('Another runner applied this batch.');
    tx?.committed();
  }

  /**
   * A batch failed and the database answers: apply its events one at a time, so the events before
   * the one that fails are kept and the failure names it; then stop this projection.
   */
  async #findFailing(from: LogPosition, events: readonly StoredEvent[]): Promise<void> {
    const { projection, log, clock } = this.#options;
    let position = from;
    for (const event of events) {
      const mine = handlesType(projection, event.type) ? [event] : [];
      try {
        await this.#commit(position, event.logPosition, mine);
        position = event.logPosition;
      } catch (error) {
        if (error instanceof Overtaken || !(await this.#options.store.isReady())) throw error;
        const failure: ProjectionFailure = {
          position: event.logPosition,
          eventId: event.id,
          eventType: event.type,
          error: error instanceof Error ? error.message : String(error),
          failedAt: clock(),
        };
        await this.#checkpoints.recordFailure(this.name, failure);
        this.#checkpoint = { ...this.#checkpoint, position, failure };
        this.#state = 'failed';
        log.error(
          { projection: this.name, position: failure.position, eventId: event.id, eventType: event.type, err: error },
          'projection stopped: its handler failed on an event',
        );
        throw error;
      }
    }
  }

  /** Events after the checkpoint, and the age of the oldest of them; a caught-up runner has none. */
  async #measureLag(isCaughtUp: boolean): Promise<void> {
    const { store, clock } = this.#options;
    const now = clock().getTime();
    if (isCaughtUp) {
      this.#lag = { events: 0, seconds: 0, measuredAt: now };
      return;
    }
    if (now - this.#lag.measuredAt < LAG_EVERY_MS) return;
    const next = await store.readAll({ after: this.#checkpoint.position, maxCount: 1 });
    const oldest = next.events[0];
    this.#lag = {
      events: await store.countEventsAfter(this.#checkpoint.position),
      seconds: oldest === undefined ? 0 : Math.max(0, (now - oldest.recordedAt.getTime()) / 1000),
      measuredAt: now,
    };
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.#wake = done;
    });
  }
}
