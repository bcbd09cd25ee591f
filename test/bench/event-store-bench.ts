// Event store figures on PostgreSQL, each against a raw-SQL baseline measured in the same run, and
// on KurrentDB beside them when KURRENTDB_URL is set.
import { randomBytes, randomUUID } from 'node:crypto';
import {
  createPostgresStorage,
  type EventStore,
  type NewEvent,
  openKurrentDbEventStore,
  type SqlStorage,
  START_OF_LOG,
} from '@small-steps/event-store';
import { TEST_METADATA } from '@small-steps/event-store/testing';
import { sql } from 'kysely';
import pg from 'pg';
import { backendsOf, meterCpu } from './cpu-meter.ts';
import type { BenchFigure } from './figures.ts';
import { scratchDatabase } from './scratch-database.ts';

const WRITERS = [1, 16] as const;
const ROUNDS = 5;
const SECONDS_PER_RUN = 1.5;
const LOG_SIZE = 100_000;
const PAGE = 1000;

/**
 * Appends (one event, exact expected version, to a new stream each time) against a single-row
 * INSERT of the same row into a copy of the events table, then reads the whole log through readAll.
 * Runs in a database of its own on the server of `connectionString`, dropped afterwards.
 */
export async function benchEventStore(connectionString: string, log: (line: string) => void): Promise<BenchFigure[]> {
  const database = await scratchDatabase(connectionString);
  const storage = await createPostgresStorage({ connectionString: database.url, poolSize: 16 });
  const { store } = storage;
  const raw = new pg.Pool({ connectionString: database.url, max: 16 });
  try {
    await sql`create table raw_events (like events including all)`.execute(storage.db);
    const figures: BenchFigure[] = [];
    for (const writers of WRITERS) {
      const { baseline, appends, ratio } = await compareAppends(writers, log, storage, raw);
      const target = writers === 16 ? '≥ 50 % of raw INSERT' : undefined;
      figures.push({ name: `raw INSERT, ${writers} writer(s)`, value: baseline, unit: 'events/s' });
      figures.push({
        name: `append, ${writers} writer(s)`,
        value: appends,
        unit: 'events/s',
        baseline: 'raw INSERT',
        ratio,
        ...(target === undefined ? {} : { target, met: ratio >= 0.5 }),
      });
    }
    figures.push(await measureExistingStreams(store, figures, log));
    figures.push(...(await measureReads(store, raw, log)));
    figures.push(...(await measureKurrentDb(figures, log)));
    return figures;
  } finally {
    await storage.close();
    await raw.end();
    await database.drop();
  }
}

let sequence = 0;

function benchEvent(): NewEvent {
  sequence++;
  return {
    id: randomUUID(),
    type: 'StepAttempted',
    schemaVersion: 1,
    data: { planId: 'plan-bench', stepId: `step-${sequence % 12}`, outcome: 'partly', minutes: 25 },
    metadata: TEST_METADATA,
  };
}

async function appendOne(store: EventStore): Promise<void> {
  await store.append(`bench-${randomUUID()}`, [benchEvent()], { expectedVersion: 0 });
}

async function rawInsert(pool: pg.Pool): Promise<void> {
  const event = benchEvent();
  await pool.query(
    `insert into raw_events
       (stream_id, stream_version, event_id, type, schema_version, data, personal, metadata, recorded_at, previous_hash, hash)
     values ($1, 1, $2, $3, $4, $5, null, $6, $7, null, $8)`,
    [
      `raw-${randomUUID()}`,
      event.id,
      event.type,
      event.schemaVersion,
      JSON.stringify(event.data),
      JSON.stringify(event.metadata),
      new Date().toISOString(),
      'f'.repeat(64),
    ],
  );
}

// The machine is shared and noisy, so raw INSERT and append take turns in short runs, and the
// figures are medians over the rounds: the ratio of each round compares runs seconds apart. The CPU
// each took per event, this process's (the client: hashing, building the statement, the driver) and
// the bench database's backends', says on which side of the wire the difference lies.
async function compareAppends(
  writers: number,
  log: (line: string) => void,
  { store, db }: SqlStorage,
  raw: pg.Pool,
): Promise<{ baseline: number; appends: number; ratio: number }> {
  await rate(writers, 0.5, () => rawInsert(raw));
  await rate(writers, 0.5, () => appendOne(store));
  // The scratch database's server processes: both pools' connections.
  const backends = backendsOf(db);
  const baselines: Metered[] = [];
  const appends: Metered[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    baselines.push(await metered(writers, () => rawInsert(raw), backends));
    appends.push(await metered(writers, () => appendOne(store), backends));
  }
  const ratios = appends.map((value, round) => value.rate / baselines[round]!.rate);
  const result = {
    baseline: median(baselines.map((m) => m.rate)),
    appends: median(appends.map((m) => m.rate)),
    ratio: median(ratios),
  };
  log(
    `${writers} writer(s): raw INSERT ${baselines.map((m) => Math.round(m.rate)).join(' / ')} events/s, ` +
      `append ${appends.map((m) => Math.round(m.rate)).join(' / ')} events/s, median ratio ${(result.ratio * 100).toFixed(0)} %; ` +
      `CPU per event, client: raw ${cpuPerEvent(baselines, 'client')} µs, append ${cpuPerEvent(appends, 'client')} µs; ` +
      `PostgreSQL: raw ${cpuPerEvent(baselines, 'server')} µs, append ${cpuPerEvent(appends, 'server')} µs`,
  );
  return result;
}

interface Metered {
  rate: number;
  events: number;
  clientMs: number;
  serverMs: number | null;
}

async function metered(
  writers: number,
  operation: (writer: number) => Promise<void>,
  backends: () => Promise<number[]>,
): Promise<Metered> {
  const { result, cpu } = await meterCpu(() => counted(writers, SECONDS_PER_RUN, operation), { backends });
  return { ...result, clientMs: cpu.processMs, serverMs: cpu.postgresMs };
}

// The median over the rounds of one side's CPU per event, in µs.
function cpuPerEvent(runs: readonly Metered[], side: 'client' | 'server'): string {
  const perEvent = runs.map((m) => ((side === 'client' ? m.clientMs : m.serverMs) ?? Number.NaN) / m.events);
  return Number.isNaN(perEvent[0]) ? 'n/a' : (median(perEvent) * 1000).toFixed(0);
}

// Operations per second with `writers` loops running `operation` back to back.
async function rate(writers: number, seconds: number, operation: (writer: number) => Promise<void>): Promise<number> {
  return (await counted(writers, seconds, operation)).rate;
}

async function counted(
  writers: number,
  seconds: number,
  operation: (writer: number) => Promise<void>,
): Promise<{ rate: number; events: number }> {
  const started = performance.now();
  const deadline = started + seconds * 1000;
  let count = 0;
  await Promise.all(
    Array.from({ length: writers }, async (_, writer) => {
      while (performance.now() < deadline) {
        await operation(writer);
        count++;
      }
    }),
  );
  return { rate: count / ((performance.now() - started) / 1000), events: count };
}

// Appends to streams that already exist, each writer at its own stream's exact version: the
// common command path. The store remembers the heads it wrote, so each append is one guarded
// INSERT ... SELECT. Compared with the 16-writer raw INSERT median from the same run.
async function measureExistingStreams(
  store: EventStore,
  figures: readonly BenchFigure[],
  log: (line: string) => void,
): Promise<BenchFigure> {
  const versions = Array.from({ length: 16 }, () => 0);
  const appendNext = async (writer: number) => {
    await store.append(`existing-${writer}`, [benchEvent()], { expectedVersion: versions[writer]! });
    versions[writer]!++;
  };
  await rate(16, 0.5, appendNext);
  const rates: number[] = [];
  for (let round = 0; round < 3; round++) rates.push(await rate(16, SECONDS_PER_RUN, appendNext));
  const value = median(rates);
  const baseline = figures.find((figure) => figure.name === 'raw INSERT, 16 writer(s)')!.value;
  log(`append to existing streams, 16 writers: ${rates.map(Math.round).join(' / ')} events/s`);
  return {
    name: 'append to existing streams, 16 writer(s)',
    value,
    unit: 'events/s',
    baseline: 'raw INSERT',
    ratio: value / baseline,
  };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

async function measureReads(store: EventStore, raw: pg.Pool, log: (line: string) => void): Promise<BenchFigure[]> {
  const { rows } = await raw.query<{ count: string }>('select count(*) from events');
  const appended = Number(rows[0]?.count ?? 0);
  const missing = LOG_SIZE - appended;
  if (missing > 0) {
    // Filler rows only need the shape readAll returns; they are never verified.
    await raw.query(
      `insert into events (stream_id, stream_version, event_id, type, schema_version, data, metadata, recorded_at, hash)
       select 'filler-' || (n / 100), n % 100 + 1, gen_random_uuid(), 'StepAttempted', 1, $1, $2, now(), repeat('f', 64)
       from generate_series(0, $3 - 1) as n`,
      [JSON.stringify(benchEvent().data), JSON.stringify(TEST_METADATA), missing],
    );
  }
  await raw.query('vacuum analyze events');

  // The first passes warm the JIT and the caches (a subscriber catching up runs warm); then the
  // two readers take turns, as the appends do, and the figures are medians.
  const cold = await readWholeLog(store);
  await rawReadWholeLog(raw);
  const rates: number[] = [];
  const rawRates: number[] = [];
  for (let round = 0; round < 3; round++) {
    rates.push(await readWholeLog(store));
    rawRates.push(await rawReadWholeLog(raw));
  }
  const rate = median(rates);
  const rawRate = median(rawRates);
  log(
    `readAll: ${Math.max(LOG_SIZE, appended)} events in pages of ${PAGE}: ${Math.round(cold)} events/s cold, ` +
      `${rates.map(Math.round).join(' / ')} warm; raw SELECT by position ${rawRates.map(Math.round).join(' / ')}`,
  );
  return [
    { name: 'raw SELECT pages by position', value: rawRate, unit: 'events/s' },
    {
      name: 'readAll pages',
      value: rate,
      unit: 'events/s',
      baseline: 'raw SELECT pages by position',
      ratio: rate / rawRate,
      target: '≥ 100k events/s',
      met: rate >= 100_000,
    },
  ];
}

async function readWholeLog(store: EventStore): Promise<number> {
  let position = START_OF_LOG;
  let events = 0;
  const started = performance.now();
  for (;;) {
    const page = await store.readAll({ after: position, maxCount: PAGE });
    if (page.events.length === 0) break;
    events += page.events.length;
    position = page.position;
  }
  return events / ((performance.now() - started) / 1000);
}

// The same pages read by position alone with plain `pg`, no horizon and no mapping: the floor.
async function rawReadWholeLog(pool: pg.Pool): Promise<number> {
  let position = '0';
  let events = 0;
  const started = performance.now();
  for (;;) {
    const page = await pool.query<{ position: string }>(
      'select * from events where position > $1 order by position limit $2',
      [position, PAGE],
    );
    if (page.rows.length === 0) break;
    events += page.rows.length;
    position = page.rows.at(-1)!.position;
  }
  return events / ((performance.now() - started) / 1000);
}

/**
 * The same appends on KurrentDB, in a namespace of their own, each figure against PostgreSQL's
 * from this run; then a read of every event they wrote through readAll. Only with KURRENTDB_URL.
 */
async function measureKurrentDb(postgres: readonly BenchFigure[], log: (line: string) => void): Promise<BenchFigure[]> {
  const connectionString = process.env.KURRENTDB_URL;
  if (!connectionString) {
    log('KurrentDB: SKIPPED (KURRENTDB_URL is not set)');
    return [];
  }
  const store = await openKurrentDbEventStore({
    connectionString,
    namespace: `bench${randomBytes(4).toString('hex')}`,
  });
  try {
    if (!(await store.isReady())) throw new Error('KurrentDB at KURRENTDB_URL does not answer.');
    const figures: BenchFigure[] = [];
    const against = (name: string, value: number): BenchFigure => {
      const baseline = postgres.find((figure) => figure.name === name)!;
      return {
        name: `KurrentDB ${name}`,
        value,
        unit: 'events/s',
        baseline: `PostgreSQL ${name}`,
        ratio: value / baseline.value,
      };
    };
    for (const writers of WRITERS) {
      await rate(writers, 0.5, () => appendOne(store));
      const rates: number[] = [];
      for (let round = 0; round < 3; round++) rates.push(await rate(writers, SECONDS_PER_RUN, () => appendOne(store)));
      log(`KurrentDB, ${writers} writer(s): append ${rates.map(Math.round).join(' / ')} events/s`);
      figures.push(against(`append, ${writers} writer(s)`, median(rates)));
    }
    const versions = Array.from({ length: 16 }, () => 0);
    const appendNext = async (writer: number) => {
      await store.append(`existing-${writer}`, [benchEvent()], { expectedVersion: versions[writer]! });
      versions[writer]!++;
    };
    await rate(16, 0.5, appendNext);
    const existing: number[] = [];
    for (let round = 0; round < 3; round++) existing.push(await rate(16, SECONDS_PER_RUN, appendNext));
    log(`KurrentDB, append to existing streams, 16 writers: ${existing.map(Math.round).join(' / ')} events/s`);
    figures.push(against('append to existing streams, 16 writer(s)', median(existing)));
    const reads: number[] = [];
    for (let round = 0; round < 3; round++) reads.push(await readWholeLog(store));
    log(`KurrentDB readAll, pages of ${PAGE}: ${reads.map(Math.round).join(' / ')} events/s`);
    figures.push(against('readAll pages', median(reads)));
    return figures;
  } finally {
    await store.close();
  }
}
