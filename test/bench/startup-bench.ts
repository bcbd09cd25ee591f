// How long the built service takes to answer /health/ready and how much memory it holds then, on
// embedded PGlite (a new data folder, then the same folder again) and on PostgreSQL (a new database,
// then the same one again), against an empty Node HTTP server started the same way in the same run.
// It spawns the service as `./run start` does, so the figures include loading the code.

import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchFigure } from './figures.ts';
import { scratchDatabase } from './scratch-database.ts';
import { answers200, buildService, freePort, spawnService, startFlags } from './service-process.ts';

const ROUNDS = 3;
const READY_TIMEOUT_MS = 60_000;
const TARGETS = {
  pgliteNew: 3_000,
  pgliteExisting: 1_000,
  rssMb: 250,
};

interface Start {
  readyMs: number;
  rssMb: number;
  peakMb: number;
}

/**
 * Builds the service (turbo: a no-op when dist is current), then starts it ROUNDS times per store,
 * each round on a new data folder or database and then again on the same one.
 */
export async function benchStartup(connectionString: string, log: (line: string) => void): Promise<BenchFigure[]> {
  buildService(log);
  const baseline: Start[] = [];
  const runs = {
    pglite: { new: [] as Start[], existing: [] as Start[] },
    postgres: { new: [] as Start[], existing: [] as Start[] },
  };
  for (let round = 1; round <= ROUNDS; round++) {
    const empty = await startEmptyServer();
    baseline.push(empty);
    log(`round ${round}: empty http server ${describe(empty)}`);
    for (const kind of ['pglite', 'postgres'] as const) {
      const folder = await mkdtemp(join(tmpdir(), 'small-steps-startup-'));
      const database = kind === 'postgres' ? await scratchDatabase(connectionString) : null;
      try {
        const env = { DATA_DIR: folder, ...(database ? { DATABASE_URL: database.url } : {}) };
        const first = await startService(env);
        const again = await startService(env);
        runs[kind].new.push(first);
        runs[kind].existing.push(again);
        log(`round ${round}: ${kind.padEnd(8)} new ${describe(first)}; existing ${describe(again)}`);
      } finally {
        await database?.drop();
        await rm(folder, { recursive: true, force: true });
      }
    }
  }
  const baseMs = worst(baseline, 'readyMs');
  const figures: BenchFigure[] = [
    { name: 'empty http server ready (slowest round)', value: baseMs, unit: 'ms' },
    { name: 'empty http server RSS (largest)', value: worst(baseline, 'rssMb'), unit: 'MB' },
  ];
  for (const kind of ['pglite', 'postgres'] as const) {
    for (const folder of ['new', 'existing'] as const) {
      const starts = runs[kind][folder];
      const readyMs = worst(starts, 'readyMs');
      const rssMb = worst(starts, 'rssMb');
      const target = kind === 'pglite' ? (folder === 'new' ? TARGETS.pgliteNew : TARGETS.pgliteExisting) : undefined;
      figures.push(
        {
          name: `${kind} ${folder} ${kind === 'pglite' ? 'data folder' : 'database'}: ready (slowest round)`,
          value: readyMs,
          unit: 'ms',
          baseline: 'empty http server',
          ratio: readyMs / baseMs,
          ...(target === undefined ? {} : { target: `< ${target} ms`, met: readyMs < target }),
        },
        {
          name: `${kind} ${folder} ${kind === 'pglite' ? 'data folder' : 'database'}: RSS when ready (largest)`,
          value: rssMb,
          unit: 'MB',
          ...(kind === 'pglite' ? { target: `< ${TARGETS.rssMb} MB`, met: rssMb < TARGETS.rssMb } : {}),
        },
        {
          name: `${kind} ${folder} ${kind === 'pglite' ? 'data folder' : 'database'}: peak RSS (largest)`,
          value: worst(starts, 'peakMb'),
          unit: 'MB',
        },
      );
    }
  }
  return figures;
}

const describe = (start: Start): string =>
  `ready ${Math.round(start.readyMs)} ms, RSS ${Math.round(start.rssMb)} MB (peak ${Math.round(start.peakMb)} MB)`;

const worst = (starts: Start[], key: keyof Start): number => Math.max(...starts.map((s) => s[key]));

async function startService(env: Record<string, string>): Promise<Start> {
  const port = await freePort();
  return measureStart(spawnService(port, env), port);
}

async function startEmptyServer(): Promise<Start> {
  const port = await freePort();
  const source = `require('node:http').createServer((q, s) => s.end('ok')).listen(${port}, '127.0.0.1')`;
  return measureStart(
    spawn(process.execPath, [...startFlags(), '-e', source], { stdio: ['ignore', 'ignore', 'pipe'] }),
    port,
    '/',
  );
}

/** Time from spawn to the first 200 on `path`, and memory then; stops the process before it returns. */
async function measureStart(child: ChildProcess, port: number, path = '/health/ready'): Promise<Start> {
  const started = performance.now();
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const stop = async (): Promise<number | null> => {
    if (child.exitCode === null) child.kill('SIGTERM');
    return exited;
  };
  let start: Start;
  try {
    start = await waitUntilReady(child, port, path, started, () => stderr);
  } catch (error) {
    await stop();
    throw error;
  }
  const code = await stop();
  // A service that fails to stop cleanly would leave its data folder locked for the next start.
  if (code !== 0 && code !== null) throw new Error(`the process stopped with ${code}: ${stderr}`);
  return start;
}

async function waitUntilReady(
  child: ChildProcess,
  port: number,
  path: string,
  started: number,
  stderr: () => string,
): Promise<Start> {
  while (performance.now() - started < READY_TIMEOUT_MS) {
    if (child.exitCode !== null) throw new Error(`the process exited with ${child.exitCode}: ${stderr()}`);
    if (await answers200(port, path)) {
      const readyMs = performance.now() - started;
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      return { readyMs, rssMb: kilobytes(status, 'VmRSS') / 1024, peakMb: kilobytes(status, 'VmHWM') / 1024 };
    }
    await new Promise((wait) => setTimeout(wait, 10));
  }
  throw new Error(`not ready within ${READY_TIMEOUT_MS} ms: ${stderr()}`);
}

function kilobytes(status: string, field: string): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  if (!match) throw new Error(`no ${field} in /proc/<pid>/status`);
  return Number(match[1]);
}
