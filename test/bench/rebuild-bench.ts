// The rebuild of a read model on PostgreSQL, against a raw keyset SELECT of the same rows measured
// in the same run: what replaying the log through a projection into shadow tables, comparing them
// with the live ones and switching them in costs beside merely reading it.
import { createApplication, migrations } from '@small-steps/application';
import { createPostgresStorage } from '@small-steps/event-store';
import pg from 'pg';
import { meterCpu } from './cpu-meter.ts';
import type { BenchFigure } from './figures.ts';
import { scratchDatabase } from './scratch-database.ts';

/** Events in the log (`REBUILD_EVENTS` chooses fewer, or more): the issue asks for 1,000,000. */
const EVENTS = Number(process.env.REBUILD_EVENTS ?? 1_000_000);
const PAGE = 1000;
const TARGET = 20_000;
const BACKENDS = 'select pid from pg_stat_activity where datname = current_database()';

/**
 * Fills a log of `EVENTS` events, four in five of them a school's register for a day (two pupils,
 * both sessions) and the rest plan events the register does not handle, then rebuilds the register
 * (`attendance_marks`) twice: the first fills the live tables, the second is measured, so that it
 * compares against live tables as full as its own. The raw read goes before and after it.
 */
export async function benchRebuild(connectionString: string, log: (line: string) => void): Promise<BenchFigure[]> {
  if (!Number.isInteger(EVENTS) || EVENTS < PAGE) throw new Error(`REBUILD_EVENTS must be a whole number ≥ ${PAGE}`);
  const database = await scratchDatabase(connectionString);
  const storage = await createPostgresStorage({
    connectionString: database.url,
    poolSize: 4,
    extraMigrations: migrations,
  });
  const raw = new pg.Pool({ connectionString: database.url, max: 2 });
  try {
    // No master key: the register's events carry no personal part, and sealing is measured elsewhere.
    const { rebuilds } = createApplication({ storage, tenantSettings: { tenants: {} } });
    log(`filling a log of ${EVENTS} events`);
    await fill(raw);
    const first = await rebuilds.rebuild('attendance_marks', { pageSize: PAGE });
    log(`first rebuild (live tables empty): ${Math.round(first.events / first.seconds)} events/s`);
    const rawBefore = await readRaw(raw);
    let lastLine = 0;
    // When each phase ended, in seconds from the start: the replay, the keys and indexes, the switch.
    const started = performance.now();
    let replayed = 0;
    const at = () => ((performance.now() - started) / 1000).toFixed(1);
    const { result: report, cpu } = await meterCpu(
      () =>
        rebuilds.rebuild('attendance_marks', {
          pageSize: PAGE,
          onProgress: ({ phase, events, total, eventsPerSecond }) => {
            if (phase === 'replaying') replayed = performance.now();
            if (performance.now() - lastLine < 10_000 && phase === 'replaying') return;
            lastLine = performance.now();
            const ended =
              phase === 'switching'
                ? ` (replay ended at ${((replayed - started) / 1000).toFixed(1)} s, indexes at ${at()} s)`
                : phase === 'done'
                  ? ` (at ${at()} s)`
                  : '';
            log(`  ${phase}: ${events}/${total} events, ${Math.round(eventsPerSecond)} events/s${ended}`);
          },
        }),
      { backends: async () => (await raw.query<{ pid: number }>(BACKENDS)).rows.map((row) => row.pid) },
    );
    const rawAfter = await readRaw(raw);
    const differing = report.tables.reduce((sum, table) => sum + table.differing, 0);
    if (differing !== 0) throw new Error(`the rebuilt register differs from the live one in ${differing} rows`);
    const rebuildRate = report.events / report.seconds;
    const rawRate = (rate(rawBefore) + rate(rawAfter)) / 2;
    const rows = report.tables.map((table) => `${table.rebuiltRows} ${table.table} rows`).join(', ');
    // CPU as well as time: on this shared machine the time varies with what else runs.
    const postgresCpu = cpu.postgresMs === null ? '' : `, PostgreSQL ${(cpu.postgresMs / 1000).toFixed(1)} s`;
    log(
      `rebuild of attendance_marks: ${report.events} events (${report.applied} applied, ${rows}) in ` +
        `${report.seconds.toFixed(1)} s (CPU: this process ${(cpu.processMs / 1000).toFixed(1)} s${postgresCpu}); ` +
        `raw keyset SELECT ${Math.round(rate(rawBefore))} / ${Math.round(rate(rawAfter))} events/s`,
    );
    return [
      { name: `raw keyset SELECT of ${EVENTS} events`, value: rawRate, unit: 'events/s' },
      {
        name: `rebuild attendance_marks over ${EVENTS} events`,
        value: rebuildRate,
        unit: 'events/s',
        baseline: 'raw keyset SELECT',
        ratio: rebuildRate / rawRate,
        target: `≥ ${TARGET.toLocaleString('en-GB')} events/s`,
        met: rebuildRate >= TARGET,
      },
    ];
  } finally {
    await storage.close();
    await raw.end();
    await database.drop();
  }
}

/** Register events (version 2: a school's day) and plan attempts, as the service writes them. */
async function fill(pool: pg.Pool): Promise<void> {
  const batch = 50_000;
  for (let from = 0; from < EVENTS; from += batch) {
    await pool.query(
      `insert into events (stream_id, stream_version, event_id, type, schema_version, data, personal, metadata, recorded_at, hash)
       select
         case when register then 'attendance-801-10000' || (n % 10) || '-2026-10-13-' || n
              else 'plan-' || md5((n / 20)::text)::uuid end,
         case when register then 1 else n % 20 + 1 end,
         gen_random_uuid(),
         case when register then 'AttendanceRecorded' else 'StepAttempted' end,
         case when register then 2 else 1 end,
         case when register then jsonb_build_object('schoolUrn', '10000' || (n % 10), 'date', '2026-10-13',
             'recordedAt', '2026-10-13T16:00:00.000Z',
             'marks', (select jsonb_object_agg(md5((n * 31 + p)::text)::uuid, jsonb_build_object('AM', '/', 'PM', 'N'))
                       from generate_series(1, 2) as p))
           else jsonb_build_object('stepId', 'step-' || (n % 6), 'outcome', 'completed', 'anxietyBefore', 5,
             'anxietyAfter', 3, 'minutes', 20, 'extendedBy', null, 'occurredOn', '2026-10-14')
         end,
         null,
         jsonb_build_object('actor', jsonb_build_object('id', 'officer-' || (n % 40), 'role', 'la_officer', 'tenant', '801'),
           'correlationId', gen_random_uuid(), 'causationId', null),
         now(), repeat('f', 64)
       from (select n, n % 5 <> 4 as register from generate_series($1::int, $2::int) as n) as rows`,
      [from, Math.min(from + batch, EVENTS) - 1],
    );
  }
  await pool.query('vacuum analyze events');
}

// Every event in log order with plain `pg`: a prepared SELECT, no read horizon, no mapping.
async function readRaw(pool: pg.Pool): Promise<{ events: number; ms: number }> {
  let transactionId = '0';
  let position = '0';
  let events = 0;
  const started = performance.now();
  for (;;) {
    const page = await pool.query<{ transaction_id: string; position: string }>({
      name: 'raw-log-keyset',
      text: `select * from events where (transaction_id, position) > ($1::xid8, $2::bigint)
             order by transaction_id, position limit $3`,
      values: [transactionId, position, PAGE],
    });
    if (page.rows.length === 0) break;
    events += page.rows.length;
    ({ transaction_id: transactionId, position } = page.rows.at(-1)!);
  }
  return { events, ms: performance.now() - started };
}

const rate = ({ events, ms }: { events: number; ms: number }): number => events / (ms / 1000);
