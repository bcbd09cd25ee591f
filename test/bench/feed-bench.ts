// The change feed's read rate on PostgreSQL, against a raw keyset SELECT of the same rows measured in
// the same run: what reading through the store's gap-free read, its tenant filter and the codecs costs.
import { createApplication, migrations } from '@small-steps/application';
import type { Principal } from '@small-steps/domain';
import { createPostgresStorage } from '@small-steps/event-store';
import pg from 'pg';
import type { BenchFigure } from './figures.ts';
import { scratchDatabase } from './scratch-database.ts';

/** Events of the LA read; as many again are other LAs', interleaved with them in the log. */
const TENANT_EVENTS = 200_000;
const OTHER_EVENTS = 100_000;
const PAGE = 1000;
const ROUNDS = 3;
const TARGET = 0.5;

const laSystem: Principal = { id: 'case-system-801', role: 'la_system', tenant: '801' };
const schoolStaff: Principal = { id: 'staff-100001', role: 'school_staff', tenant: '801', schoolUrn: '100001' };

/**
 * Fills a log of 300,000 events (two thirds of them one LA's, the rest ten other LAs'), then reads
 * the LA's part whole through the feed (`FeedReads`, as `GET /v1/feed` does, without HTTP) and through
 * a raw keyset SELECT on the same index, taking turns, and as school staff for scale.
 */
export async function benchFeed(connectionString: string, log: (line: string) => void): Promise<BenchFigure[]> {
  const database = await scratchDatabase(connectionString);
  const storage = await createPostgresStorage({
    connectionString: database.url,
    poolSize: 4,
    extraMigrations: migrations,
  });
  const raw = new pg.Pool({ connectionString: database.url, max: 4 });
  try {
    const { feedReads } = createApplication({ storage, tenantSettings: { tenants: {} } });
    log(`filling a log of ${TENANT_EVENTS + OTHER_EVENTS} events`);
    await fill(raw);
    const feed = () => readFeed((after) => feedReads.page(laSystem, { limit: PAGE, ...(after ? { after } : {}) }));
    const rawRead = () => readRaw(raw);
    // The first passes warm the caches and the JIT (a consumer catching up runs warm); then the two
    // readers take turns, and the figures are medians.
    const cold = await feed();
    await rawRead();
    const feedRates: number[] = [];
    const rawRates: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      feedRates.push(rate(await feed()));
      rawRates.push(rate(await rawRead()));
    }
    const staffRate = rate(
      await readFeed((after) => feedReads.page(schoolStaff, { limit: PAGE, ...(after ? { after } : {}) }), {
        scanned: TENANT_EVENTS,
      }),
    );
    const feedRate = median(feedRates);
    const rawRate = median(rawRates);
    const ratios = feedRates.map((value, round) => value / rawRates[round]!);
    log(
      `feed: ${TENANT_EVENTS} events in pages of ${PAGE}: ${Math.round(rate(cold))} events/s cold, ` +
        `${feedRates.map(Math.round).join(' / ')} warm; raw keyset SELECT ${rawRates.map(Math.round).join(' / ')}; ` +
        `school staff ${Math.round(staffRate)} events read/s`,
    );
    const ratio = median(ratios);
    return [
      { name: 'raw keyset SELECT pages of one LA', value: rawRate, unit: 'events/s' },
      {
        name: 'feed pages (la_system)',
        value: feedRate,
        unit: 'events/s',
        baseline: 'raw keyset SELECT',
        ratio,
        target: `≥ ${TARGET * 100} % of raw keyset SELECT`,
        met: ratio >= TARGET,
      },
      { name: 'feed pages (school_staff), events read', value: staffRate, unit: 'events/s' },
    ];
  } finally {
    await storage.close();
    await raw.end();
    await database.drop();
  }
}

/**
 * Plan, pupil and register events as the service writes them (current versions, personal parts
 * apart), one LA's and ten others' interleaved: a plan's attempts, a pupil's admissions, a school's
 * register for a day of 30 pupils.
 */
async function fill(pool: pg.Pool): Promise<void> {
  const total = TENANT_EVENTS + OTHER_EVENTS;
  const batch = 50_000;
  for (let from = 0; from < total; from += batch) {
    await pool.query(
      `insert into events (stream_id, stream_version, event_id, type, schema_version, data, personal, metadata, recorded_at, hash)
       select
         case kind when 0 then 'attendance-' || tenant || '-10000' || (n % 10) || '-2026-10-' || lpad((n / 100 % 28 + 1)::text, 2, '0') || '-' || n
                   when 1 then 'pupil-' || md5(n::text)::uuid
                   else 'plan-' || md5((n / 20)::text)::uuid end,
         case kind when 2 then n % 20 + 1 else 1 end,
         gen_random_uuid(),
         case kind when 0 then 'AttendanceRecorded' when 1 then 'PupilAdmitted' else 'StepAttempted' end,
         case kind when 0 then 2 else 1 end,
         case kind
           when 0 then jsonb_build_object('schoolUrn', '10000' || (n % 10), 'date', '2026-10-13',
             'recordedAt', '2026-10-13T16:00:00.000Z',
             'marks', (select jsonb_object_agg(md5((n * 31 + p)::text)::uuid, jsonb_build_object('AM', '/', 'PM', '\\'))
                       from generate_series(1, 30) as p))
           when 1 then jsonb_build_object('pupilId', md5(n::text)::uuid, 'schoolUrn', '10000' || (n % 10), 'admissionDate', '2026-09-02')
           else jsonb_build_object('stepId', 'step-' || (n % 6), 'outcome', 'completed', 'anxietyBefore', 5, 'anxietyAfter', 3,
             'minutes', 20, 'extendedBy', null, 'occurredOn', '2026-10-14')
         end,
         case kind when 2 then jsonb_build_object('supportsUsed', jsonb_build_array('Quiet room first'),
           'pupilWords', 'It was OK after the first bit.') end,
         jsonb_build_object('actor', jsonb_build_object('id', 'officer-' || (n % 40), 'role', 'la_officer', 'tenant', tenant),
           'correlationId', gen_random_uuid(), 'causationId', null),
         now(), repeat('f', 64)
       from (
         select n, case when n % 10 < 2 then 0 when n % 10 < 3 then 1 else 2 end as kind,
                case when n % 3 = 2 then (810 + n % 10)::text else '801' end as tenant
         from generate_series($1::int, $2::int) as n
       ) as rows`,
      [from, Math.min(from + batch, total) - 1],
    );
  }
  await pool.query('vacuum analyze events');
}

/** Reads the feed from its start until a page has nothing new: the events (items) read, and the time. */
async function readFeed(
  read: (after: string | undefined) => Promise<{ items: unknown[]; next: string }>,
  { scanned }: { scanned?: number } = {},
): Promise<{ events: number; ms: number }> {
  let after: string | undefined;
  let events = 0;
  const started = performance.now();
  for (;;) {
    const page = await read(after);
    if (page.next === after) break;
    events += page.items.length;
    after = page.next;
  }
  return { events: scanned ?? events, ms: performance.now() - started };
}

// The same rows by the same keyset, with plain `pg`: a prepared SELECT, no read horizon, no mapping.
async function readRaw(pool: pg.Pool): Promise<{ events: number; ms: number }> {
  let transactionId = '0';
  let position = '0';
  let events = 0;
  const started = performance.now();
  for (;;) {
    const page = await pool.query<{ transaction_id: string; position: string }>({
      name: 'raw-keyset',
      text: `select * from events where tenant = $1 and (transaction_id, position) > ($2::xid8, $3::bigint)
             order by transaction_id, position limit $4`,
      values: ['801', transactionId, position, PAGE],
    });
    if (page.rows.length === 0) break;
    events += page.rows.length;
    ({ transaction_id: transactionId, position } = page.rows.at(-1)!);
  }
  return { events, ms: performance.now() - started };
}

const rate = ({ events, ms }: { events: number; ms: number }): number => events / (ms / 1000);

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
