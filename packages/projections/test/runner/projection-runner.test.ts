import { createPostgresStorage, type NewEvent, type SqlStorage } from '@small-steps/event-store';
import { TEST_METADATA, type TestStore, testDatabases } from '@small-steps/event-store/testing';
import { type Kysely, sql } from 'kysely';
import type { Migration } from 'kysely/migration';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Checkpoints,
  type Projection,
  ProjectionRunner,
  ProjectionWorker,
  type RunnerLog,
  readModelMigrations,
} from '../../src/index.ts';

const databases = (await testDatabases()).filter((d) => d.skipReason === null);

// A projection that writes a row per event it applies: applying one twice breaks the primary key,
// skipping one leaves a hole the count shows.
const tallyTable: Migration = {
  async up(db) {
    await sql`
      create table test_tally (
        projection text not null,
        event_id uuid not null,
        stream_id text not null,
        applied_by text not null,
        primary key (projection, event_id)
      )`.execute(db);
  },
};
const migrations = [...readModelMigrations, { name: 'runner_test', migrations: { '0001_tally': tallyTable } }];

const tally = (name: string, appliedBy: string, fails?: (type: string) => boolean): Projection => ({
  name,
  handles: new Set(['Counted', 'Poison']),
  tables: ['test_tally'],
  async apply(events, tx) {
    for (const event of events) {
      if (fails?.(event.type)) throw new Error(`cannot apply ${event.type}`);
      await tx.execute(sql`insert into test_tally (projection, event_id, stream_id, applied_by)
        values (${name}, ${event.id}::uuid, ${event.streamId}, ${appliedBy})`);
    }
  },
});

const other = (): Projection => ({
  name: 'test_other',
  handles: new Set(['Counted', 'Poison']),
  tables: [],
  async apply() {},
});

const silent: RunnerLog = { info() {}, warn() {}, error() {} };
let nextId = 0;
const events = (count: number, type = 'Counted'): NewEvent[] =>
  Array.from({ length: count }, () => ({
    id: `00000000-0000-4000-8000-${String(++nextId).padStart(12, '0')}`,
    type,
    schemaVersion: 1,
    data: {},
    metadata: TEST_METADATA,
  }));

const until = async (condition: () => Promise<boolean>, timeoutMs = 20_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

/** Rows the projection wrote for events of streams whose id starts with `prefix`. */
const counted = async (db: Kysely<object>, projection: string, prefix: string) => {
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from test_tally
    where projection = ${projection} and stream_id like ${`${prefix}%`}`.execute(db);
  return rows[0]!.n;
};

describe.each(databases)('projection runner on $name', (factory) => {
  let test: TestStore;
  beforeAll(async () => {
    test = await factory.create({ extraMigrations: migrations });
  });
  afterAll(async () => test?.dispose());

  const storage = () => ({ store: test.store, db: test.db, leases: test.leases });

  it('applies every event of its types once, in batches, moving its checkpoint with its writes', async () => {
    for (let i = 0; i < 7; i++) await test.store.append(`batches-${i}`, events(40), { expectedVersion: 'no_stream' });
    await test.store.append('batches-other', events(5, 'Ignored'), { expectedVersion: 'no_stream' });
    const runner = new ProjectionRunner({
      ...storage(),
      projection: tally('batches', 'a'),
      log: silent,
      batchSize: 33,
    });
    await runner.catchUp();
    expect(await counted(test.db, 'batches', 'batches-')).toBe(280);
    const checkpoint = await new Checkpoints(test.db).read('batches');
    expect(checkpoint.eventsApplied).toBe(280);
    expect(runner.status()).toMatchObject({ lagEvents: 0, lagSeconds: 0, failure: null });
    // Nothing new: catching up again applies nothing and breaks no key.
    await runner.catchUp();
    expect(await counted(test.db, 'batches', 'batches-')).toBe(280);
    await test.leases.release('batches');
  });

  it('catches up a started runner by waiting for its own loop, not racing it', async () => {
    const worker = new ProjectionWorker({
      storage: storage(),
      projections: [tally('started', 'a')],
      log: silent,
      batchSize: 10,
    });
    worker.start();
    try {
      // Each round leaves the loop batches to apply while catchUp is asked for the same ones.
      for (let round = 0; round < 5; round++) {
        for (let i = 0; i < 4; i++) {
          await test.store.append(`started-${round}-${i}`, events(15), { expectedVersion: 'no_stream' });
        }
        await worker.catchUp();
        expect(await counted(test.db, 'started', 'started-')).toBe((round + 1) * 60);
      }
      expect(worker.isHealthy()).toBe(true);
    } finally {
      await worker.stop();
    }
  });

  it('follows appends as they come, woken by them, and stops cleanly', async () => {
    const worker = new ProjectionWorker({
      storage: storage(),
      projections: [tally('follow', 'a')],
      log: silent,
    });
    worker.start();
    try {
      await until(async () => worker.status()[0]!.state === 'running' && worker.status()[0]!.lagEvents === 0);
      await test.store.append('follow-1', events(3), { expectedVersion: 'no_stream' });
      await until(async () => (await counted(test.db, 'follow', 'follow-')) === 3, 15_000);
      await test.store.append('follow-1', events(2), { expectedVersion: 3 });
      await until(async () => (await counted(test.db, 'follow', 'follow-')) === 5, 15_000);
      expect(worker.status()[0]).toMatchObject({ name: 'follow', state: 'running' });
    } finally {
      await worker.stop();
    }
  });

  it('stops one projection on an event its handler fails on, naming it, and the others go on', async () => {
    await test.store.append('poison-1', events(3), { expectedVersion: 'no_stream' });
    const [poison] = events(1, 'Poison');
    await test.store.append('poison-1', [poison!], { expectedVersion: 3 });
    await test.store.append('poison-1', events(2), { expectedVersion: 4 });
    const worker = new ProjectionWorker({
      storage: storage(),
      projections: [tally('poisoned', 'a', (type) => type === 'Poison'), other()],
      log: silent,
    });
    worker.start();
    try {
      await until(async () => worker.status()[0]!.state === 'failed');
      const [failing, going] = worker.status();
      expect(failing!.failure).toMatchObject({
        eventId: poison!.id,
        eventType: 'Poison',
        error: 'cannot apply Poison',
      });
      // The events before the poisoned one are applied and kept; none after it.
      expect(await counted(test.db, 'poisoned', 'poison-')).toBe(3);
      await until(async () => worker.status()[1]!.lagEvents === 0 && worker.status()[1]!.eventsApplied > 0);
      expect(going!.state).not.toBe('failed');
      expect(worker.isHealthy()).toBe(false);
      // Catching up says so rather than returning as if all were applied.
      await expect(worker.catchUp()).rejects.toThrow(/cannot apply Poison/);
    } finally {
      await worker.stop();
    }
    // The failure is recorded, so a restarted worker does not try the event again unasked.
    expect((await new Checkpoints(test.db).read('poisoned')).failure).toMatchObject({ eventId: poison!.id });
  });

  it('fails a catch-up that waits on a started runner when the runner stops on an event', async () => {
    let failing = false;
    const worker = new ProjectionWorker({
      storage: storage(),
      projections: [tally('waited', 'a', () => failing)],
      log: silent,
      pollMs: 50,
    });
    worker.start();
    try {
      await until(async () => worker.status()[0]!.state === 'running' && worker.status()[0]!.lagEvents === 0);
      failing = true;
      await test.store.append('waited-1', events(1), { expectedVersion: 'no_stream' });
      // Whether the loop has stopped yet or not, catching up must not answer as if all were applied.
      await expect(worker.catchUp()).rejects.toThrow(/cannot apply Counted/);
    } finally {
      await worker.stop();
    }
  });
});

describe.each(databases.filter((d) => d.name === 'postgres'))('two workers on one projection on $name', (factory) => {
  let test: TestStore;
  let second: SqlStorage;
  beforeAll(async () => {
    test = await factory.create({ extraMigrations: migrations });
    second = await createPostgresStorage({ connectionString: test.connectionString!, migrate: false });
  });
  afterAll(async () => {
    await second?.close();
    await test?.dispose();
  });

  it('lets one apply at a time, and the other takes over within seconds when it dies', async () => {
    const first = new ProjectionWorker({
      storage: { store: test.store, db: test.db, leases: test.leases },
      projections: [tally('shared', 'first')],
      log: silent,
      leaseRetryMs: 200,
    });
    const standby = new ProjectionWorker({
      storage: second,
      projections: [tally('shared', 'second')],
      log: silent,
      leaseRetryMs: 200,
    });
    first.start();
    await until(async () => first.status()[0]!.state === 'running');
    standby.start();
    const writers = Array.from({ length: 4 }, async (_, w) => {
      for (let i = 0; i < 25; i++) await test.store.append(`two-${w}`, events(4), { expectedVersion: i * 4 });
    });
    await Promise.all(writers);
    await until(async () => (await counted(test.db, 'shared', 'two-')) === 400);
    expect(standby.status()[0]!.state).toBe('standby');
    const { rows: before } = await sql<{ by: string }>`
      select distinct applied_by as by from test_tally where projection = 'shared'`.execute(test.db);
    expect(before.map((r) => r.by)).toEqual(['first']);

    // The first worker's process dies: its lease connection closes, and the standby takes over.
    await first.stop();
    for (let i = 0; i < 10; i++) await test.store.append(`after-${i}`, events(5), { expectedVersion: 'no_stream' });
    const started = Date.now();
    await until(async () => (await counted(test.db, 'shared', 'after-')) === 50);
    expect(Date.now() - started).toBeLessThan(10_000);
    const { rows } = await sql<{ by: string; n: number }>`
      select applied_by as by, count(*)::int as n from test_tally where projection = 'shared'
      group by applied_by order by 1`.execute(test.db);
    expect(rows).toEqual([
      { by: 'first', n: 400 },
      { by: 'second', n: 50 },
    ]);
    await standby.stop();
  });
});
