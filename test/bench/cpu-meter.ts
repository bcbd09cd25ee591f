import { readdir, readFile } from 'node:fs/promises';

/** CPU used while some work ran: this process's, and the local PostgreSQL server's when /proc shows it. */
export interface CpuUse {
  processMs: number;
  /** Every process named `postgres` on this machine; null where /proc is not readable (not Linux). */
  postgresMs: number | null;
}

/** Runs `work` and reports the CPU it cost, next to its result. */
export async function meterCpu<T>(work: () => Promise<T>): Promise<{ result: T; cpu: CpuUse }> {
  const postgresBefore = await postgresCpuMs();
  const processBefore = process.cpuUsage();
  const result = await work();
  const used = process.cpuUsage(processBefore);
  const postgresAfter = await postgresCpuMs();
  return {
    result,
    cpu: {
      processMs: (used.user + used.system) / 1000,
      postgresMs: postgresBefore === null || postgresAfter === null ? null : postgresAfter - postgresBefore,
    },
  };
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
