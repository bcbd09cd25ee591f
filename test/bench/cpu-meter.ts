import { readdir, readFile } from 'node:fs/promises';
import { type Kysely, sql } from 'kysely';

/** CPU used while some work ran: this process's, and the local PostgreSQL server's when /proc shows it. */
export interface CpuUse {
  processMs: number;
  /** Every process named `postgres` on this machine; null where /proc is not readable (not Linux). */
  postgresMs: number | null;
}

/**
 * Runs `work` and reports the CPU it cost, next to its result: this process's, or with `pid` that
 * process's. Given `backends` (the server processes of the bench's own database, from
 * pg_stat_activity), only theirs is counted as PostgreSQL's, so other work on the same server does
 * not count.
 */
export async function meterCpu<T>(
  work: () => Promise<T>,
  { backends, pid }: { backends?: () => Promise<number[]>; pid?: number } = {},
): Promise<{ result: T; cpu: CpuUse }> {
  const before = backends === undefined ? undefined : await backendTicks(await backends());
  const postgresBefore = await postgresCpuMs();
  const processBefore = await processCpuMs(pid);
  const result = await work();
  const processMs = (await processCpuMs(pid)) - processBefore;
  if (backends !== undefined && before !== undefined) {
    const after = await backendTicks(await backends());
    let ticks = 0;
    for (const [backend, t] of after) ticks += t - (before.get(backend) ?? 0);
    return { result, cpu: { processMs, postgresMs: ticks * 10 } };
  }
  const postgresAfter = await postgresCpuMs();
  return {
    result,
    cpu: {
      processMs,
      postgresMs: postgresBefore === null || postgresAfter === null ? null : postgresAfter - postgresBefore,
    },
  };
}

/** CPU time (ms) this process, or process `pid` (from /proc, to 10 ms), has used so far. */
async function processCpuMs(pid?: number): Promise<number> {
  if (pid === undefined) {
    const used = process.cpuUsage();
    return (used.user + used.system) / 1000;
  }
  const ticks = (await backendTicks([pid])).get(pid);
  if (ticks === undefined) throw new Error(`no /proc/${pid}/stat to read its CPU from`);
  return ticks * 10;
}

// Backends that exit meanwhile take their time with them: the bench keeps its pool open while metering.
async function postgresCpuMs(): Promise<number | null> {
  let pids: string[];
  try {
    pids = (await readdir('/proc')).filter((name) => /^\d+$/.test(name));
  } catch {
    return null;
  }
  const ticksPerSecond = 100;
  let ticks = 0;
  await Promise.all(
    pids.map(async (pid) => {
      const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
      const close = stat.lastIndexOf(')');
      if (close < 0 || !stat.slice(stat.indexOf('(') + 1, close).startsWith('postgres')) return;
      const fields = stat.slice(close + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    }),
  );
  return (ticks / ticksPerSecond) * 1000;
}

/** User and system ticks (1/100 s) of each of these processes that /proc shows. */
async function backendTicks(pids: number[]): Promise<Map<number, number>> {
  const ticks = new Map<number, number>();
  await Promise.all(
    pids.map(async (pid) => {
      const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
      const close = stat.lastIndexOf(')');
      if (close < 0) return;
      const fields = stat.slice(close + 2).split(' ');
      ticks.set(pid, Number(fields[11]) + Number(fields[12]));
    }),
  );
  return ticks;
}

/**
 * How long, in ms, some task on this machine waited for a CPU and for I/O so far (Linux pressure
 * stall information, `/proc/pressure`); null where the kernel does not report it. Over a round,
 * a CPU stall near the round's length says the machine itself was saturated: every process on it,
 * the bench's load generator included, queued for the cores.
 */
export async function machineStallMs(): Promise<{ cpu: number; io: number } | null> {
  const totalMs = async (resource: 'cpu' | 'io') => {
    const text = await readFile(`/proc/pressure/${resource}`, 'utf8');
    const micros = /^some .*total=(\d+)/m.exec(text)?.[1];
    if (micros === undefined) throw new Error(`no "some" line in /proc/pressure/${resource}`);
    return Number(micros) / 1000;
  };
  try {
    return { cpu: await totalMs('cpu'), io: await totalMs('io') };
  } catch {
    return null;
  }
}

/**
 * The server processes of the database `db` is connected to, for {@link meterCpu}'s `backends`: the
 * bench's scratch database, so other work on the same server does not count.
 */
export const backendsOf = (db: Kysely<object>) => async (): Promise<number[]> => {
  const { rows } = await sql<{ pid: number }>`
      select pid from pg_stat_activity where datname = current_database()`.execute(db);
  return rows.map((row) => row.pid);
};
