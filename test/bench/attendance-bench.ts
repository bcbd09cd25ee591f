// A large LA's day of register marks (issue #5) through the bulk endpoint on PostgreSQL, against a
// plain COPY of the same rows into a plain table measured in the same run.
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { buildApp, loadConfig, mintDevToken } from '@small-steps/api';
import { openStorage } from '@small-steps/application';
import { sql } from 'kysely';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { BenchFigure } from './figures.ts';

const PUPILS = 250_000;
const MARKS_PER_REQUEST = 10_000;
const PUPILS_PER_SCHOOL = MARKS_PER_REQUEST / 2;
const CLIENTS = 4;
const TARGET_SECONDS = 30;
const LA = '801';

/**
 * 250,000 pupils' morning and afternoon marks for today: 50 requests of 10,000 marks (one school
 * each) from 4 concurrent clients over HTTP on a loopback port. The clock runs from the first
 * request to the last response; the marks read model the trend reads is written in each upload's
 * transaction, so it is up to date when the clock stops (checked afterwards with trend reads).
 * Pupils are seeded straight into the pupil directory (registering 250,000 through the API would
 * take far longer than what is measured); nothing else is seeded.
 */
export async function benchAttendance(connectionString: string, log: (line: string) => void): Promise<BenchFigure[]> {
  const name = `ss_bench_${randomBytes(6).toString('hex')}`;
  await admin(connectionString, `create database ${name}`);
  const url = new URL(connectionString);
  url.pathname = `/${name}`;
  const config = configFor(url.toString());
  const storage = await openStorage(config.database);
  let server: Server | undefined;
  try {
    let started = performance.now();
    const schools = await seedPupils(storage.db, log);
    log(`seeded ${PUPILS.toLocaleString('en-GB')} pupils in ${seconds(started)} s (straight into pupil_directory)`);
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date());
    const bodies = schools.map(({ urn, pupilIds }) =>
      JSON.stringify({ schoolUrn: urn, marks: marksOf(pupilIds, today) }),
    );
    server = await startServer(url.toString());
    const { baseUrl } = server;
    const token = await mintDevToken(
      { id: 'mis-bench', role: 'la_system', tenant: LA },
      { secret: config.auth.secret!, issuer: config.auth.issuer, audience: config.auth.audience },
    );

    const clients = await startClients({ baseUrl, token, bodies });
    // Seeding wrote WAL too: start the timed part from a checkpoint, as a quiet server would be.
    await sql`checkpoint`.execute(storage.db);
    const walBefore = await walPosition(storage.db);
    const [nodeBefore, postgresBefore] = [process.cpuUsage(), await postgresCpuSeconds(storage.db)];
    started = performance.now();
    const latencies = await clients.go();
    const elapsed = (performance.now() - started) / 1000;
    const nodeCpu = process.cpuUsage(nodeBefore);
    const postgresCpu = (await postgresCpuSeconds(storage.db)) - postgresBefore;
    const walWritten = await walBytesSince(storage.db, walBefore);
    log(
      `CPU while timed: this process ${((nodeCpu.user + nodeCpu.system) / 1e6).toFixed(1)} s (clients included), ` +
        `its PostgreSQL backends ${Number.isNaN(postgresCpu) ? 'unknown' : `${postgresCpu.toFixed(1)} s`}; ` +
        `WAL written ${(walWritten / 2 ** 20).toFixed(0)} MiB`,
    );
    const marks = PUPILS * 2;
    const rate = marks / elapsed;
    log(
      `${marks.toLocaleString('en-GB')} marks in ${bodies.length} requests of ${MARKS_PER_REQUEST.toLocaleString('en-GB')} ` +
        `from ${CLIENTS} clients: ${elapsed.toFixed(1)} s, ${Math.round(rate).toLocaleString('en-GB')} marks/s; ` +
        `request ${percentile(latencies, 0.5).toFixed(0)} ms median, ${Math.max(...latencies).toFixed(0)} ms slowest`,
    );
    await checkStored(storage.db, baseUrl, token, schools, log);

    const copied = await copyBaseline(url.toString(), schools, today);
    log(`COPY of the same ${marks.toLocaleString('en-GB')} rows into a plain table: ${copied.toFixed(2)} s`);
    const copyRate = marks / copied;
    return [
      { name: 'COPY into a plain table', value: copyRate, unit: 'marks/s' },
      {
        name: 'bulk marks over HTTP',
        value: rate,
        unit: 'marks/s',
        baseline: 'COPY',
        ratio: rate / copyRate,
      },
      {
        name: "a 250,000-pupil LA's day over HTTP",
        value: elapsed,
        unit: 's',
        target: `< ${TARGET_SECONDS} s`,
        met: elapsed < TARGET_SECONDS,
      },
    ];
  } finally {
    await server?.close();
    await storage.close();
    await admin(connectionString, `drop database if exists ${name} with (force)`);
  }
}

const configFor = (databaseUrl: string) =>
  loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    DATABASE_URL: databaseUrl,
    DATABASE_POOL_SIZE: '16',
    RATE_LIMIT_PER_MINUTE: '100000000',
  });

interface Server {
  baseUrl: string;
  close(): Promise<void>;
}

/** The API in a thread of its own, as in a process of its own. */
async function startServer(databaseUrl: string): Promise<Server> {
  const worker = new Worker(new URL(import.meta.url), { workerData: { attendanceServer: { databaseUrl } } });
  const baseUrl = await new Promise<string>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  return {
    baseUrl,
    async close() {
      const closed = new Promise((resolve) => worker.once('message', resolve));
      worker.postMessage('close');
      await closed;
      await worker.terminate();
    },
  };
}

async function serve(databaseUrl: string): Promise<void> {
  const config = configFor(databaseUrl);
  const storage = await openStorage(config.database);
  const app = await buildApp({ config, storage });
  parentPort!.once('message', async () => {
    await app.close();
    await storage.close();
    parentPort!.postMessage('closed');
  });
  parentPort!.postMessage(await app.listen({ host: '127.0.0.1', port: 0 }));
}

interface School {
  urn: string;
  pupilIds: string[];
}

type Db = Parameters<ReturnType<typeof sql>['execute']>[0];

async function seedPupils(db: Db, log: (line: string) => void): Promise<School[]> {
  log(`seeding ${PUPILS.toLocaleString('en-GB')} pupils in ${PUPILS / PUPILS_PER_SCHOOL} schools`);
  await sql`
    insert into pupil_directory (pupil_id, tenant, school_urn, upn_hash, year_group, sen_provision, needs, personal,
      enrolments, on_roll_at, version, registered_position, registered_at)
    select gen_random_uuid(), ${LA}, school.urn, 'B801' || lpad(n::text, 9, '0'), '7', 'N', '[]',
      '{"givenName":"Bench","familyName":"Pupil","dateOfBirth":"2014-01-01"}',
      jsonb_build_array(jsonb_build_object('schoolUrn', school.urn, 'admissionDate', '2026-09-01', 'leavingDate', null)),
      jsonb_build_array(school.urn), 2, n + 1, now()
    from generate_series(0, ${PUPILS - 1}::int) as n,
      lateral (select (200000 + n / ${PUPILS_PER_SCHOOL}::int)::text as urn) as school`.execute(db);
  await sql`analyze pupil_directory`.execute(db);
  const { rows } = await sql<{ pupil_id: string; school_urn: string }>`
    select pupil_id, school_urn from pupil_directory order by registered_position`.execute(db);
  const bySchool = new Map<string, string[]>();
  for (const row of rows) {
    const pupils = bySchool.get(row.school_urn);
    if (pupils) pupils.push(row.pupil_id);
    else bySchool.set(row.school_urn, [row.pupil_id]);
  }
  return [...bySchool].map(([urn, pupilIds]) => ({ urn, pupilIds }));
}

// A day as registers look: most pupils present, a few ill, late, at appointments, unexplained or on C2.
const MORNING = ['/', '/', '/', '/', '/', '/', '/', '/', '/', '/', '/', '/', '/', '/', '/', 'L', 'I', 'M', 'N', 'C2'];
const AFTERNOON = MORNING.map((code) => (code === '/' ? '\\' : code === 'L' ? '\\' : code));

function marksOf(pupilIds: readonly string[], date: string) {
  return pupilIds.flatMap((pupilId, i) => [
    { pupilId, date, session: 'AM', code: MORNING[(i * 7) % MORNING.length]! },
    { pupilId, date, session: 'PM', code: AFTERNOON[(i * 7) % AFTERNOON.length]! },
  ]);
}

interface ClientsJob {
  baseUrl: string;
  token: string;
  bodies: readonly string[];
}

/**
 * The clients run in a worker thread, as a school's system would in a process of its own: sending
 * 45 MB of JSON must not take turns with the server on its event loop. Resolves once they are ready.
 */
async function startClients(job: ClientsJob): Promise<{ go(): Promise<number[]> }> {
  const worker = new Worker(new URL(import.meta.url), { workerData: { attendanceClients: job } });
  await new Promise<void>((resolve, reject) => {
    worker.once('message', () => resolve());
    worker.once('error', reject);
  });
  return {
    go: () =>
      new Promise<number[]>((resolve, reject) => {
        worker.once('message', (latencies: number[]) => resolve(latencies));
        worker.once('error', reject);
        worker.postMessage('go');
      }).finally(() => worker.terminate()),
  };
}

async function send({ baseUrl, token, bodies }: ClientsJob): Promise<number[]> {
  const latencies: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (next < bodies.length) {
        const body = bodies[next++]!;
        const started = performance.now();
        const response = await fetch(`${baseUrl}/v1/attendance/marks`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body,
        });
        const answer = await response.text();
        if (response.status !== 200) throw new Error(`upload answered ${response.status}: ${answer.slice(0, 500)}`);
        latencies.push(performance.now() - started);
      }
    }),
  );
  return latencies;
}

const job = workerData as { attendanceClients?: ClientsJob; attendanceServer?: { databaseUrl: string } } | null;
if (!isMainThread && job?.attendanceServer) await serve(job.attendanceServer.databaseUrl);
if (!isMainThread && job?.attendanceClients) {
  const clientsJob = job.attendanceClients;
  parentPort!.once('message', async () => parentPort!.postMessage(await send(clientsJob)));
  parentPort!.postMessage('ready');
}

/** Every mark stored once, one event per school's register for the day, and trends that already count today. */
async function checkStored(
  db: Db,
  baseUrl: string,
  token: string,
  schools: readonly School[],
  log: (line: string) => void,
) {
  const count = async (table: string) =>
    Number((await sql<{ n: string }>`select count(*) as n from ${sql.table(table)}`.execute(db)).rows[0]!.n);
  const [events, marks] = [await count('events'), await count('attendance_marks')];
  if (events !== schools.length || marks !== PUPILS * 2) throw new Error(`stored ${events} events and ${marks} marks`);
  for (const school of [schools[0]!, schools.at(-1)!]) {
    const pupilId = school.pupilIds.at(-1)!;
    const response = await fetch(`${baseUrl}/v1/pupils/${pupilId}/attendance`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const trend = (await response.json()) as { totals?: { possible: number; notCounted: number } };
    const sessions = (trend.totals?.possible ?? 0) + (trend.totals?.notCounted ?? 0);
    if (sessions !== 2) throw new Error(`trend of ${pupilId} counts ${sessions} sessions, not 2`);
  }
  log(`stored ${events.toLocaleString('en-GB')} events and ${marks.toLocaleString('en-GB')} marks; trends count today`);
}

async function copyBaseline(url: string, schools: readonly School[], date: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`create table copy_baseline (tenant text, pupil_id uuid, school_urn text, date date,
      session text, code text, recorded_at timestamptz)`);
    const recordedAt = new Date().toISOString();
    const lines = schools.flatMap(({ urn, pupilIds }) =>
      marksOf(pupilIds, date).map(
        (m) => `${LA}\t${m.pupilId}\t${urn}\t${m.date}\t${m.session}\t${m.code.replace('\\', '\\\\')}\t${recordedAt}\n`,
      ),
    );
    const started = performance.now();
    await pipeline(Readable.from(chunks(lines, 5000)), client.query(copyFrom('copy copy_baseline from stdin')));
    const elapsed = (performance.now() - started) / 1000;
    const { rows } = await client.query<{ n: string }>('select count(*) as n from copy_baseline');
    if (Number(rows[0]!.n) !== lines.length) throw new Error(`COPY stored ${rows[0]!.n} of ${lines.length} rows`);
    return elapsed;
  } finally {
    await client.end();
  }
}

function* chunks(lines: readonly string[], size: number): Generator<string> {
  for (let i = 0; i < lines.length; i += size) yield lines.slice(i, i + size).join('');
}

/**
 * CPU seconds used so far by the server processes of this database's connections, read from /proc
 * (NaN when the server is not local). Other databases on the server are busy too, so they are left out.
 */
async function postgresCpuSeconds(db: Db): Promise<number> {
  const { rows } = await sql<{ pid: number }>`
    select pid from pg_stat_activity where datname = current_database()`.execute(db);
  const { readFile } = await import('node:fs/promises');
  let ticks = 0;
  for (const { pid } of rows) {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null);
    if (stat === null) return Number.NaN;
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    ticks += Number(fields[11]) + Number(fields[12]);
  }
  return ticks / 100;
}

const walPosition = async (db: Db): Promise<string> =>
  (await sql<{ lsn: string }>`select pg_current_wal_lsn()::text as lsn`.execute(db)).rows[0]!.lsn;

const walBytesSince = async (db: Db, lsn: string): Promise<number> =>
  Number(
    (
      await sql<{
        bytes: string;
      }>`select pg_wal_lsn_diff(pg_current_wal_lsn(), ${lsn}::pg_lsn)::bigint as bytes`.execute(db)
    ).rows[0]!.bytes,
  );

const seconds = (started: number) => ((performance.now() - started) / 1000).toFixed(1);

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

async function admin(connectionString: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
