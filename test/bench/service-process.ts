// The built service in a process of its own, started as `./run start` starts it: what production runs,
// without the benchmark's own code and modules in its heap.

import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { mintDevToken } from '@small-steps/api';
import type { Principal } from '@small-steps/domain';
import { laSystem } from '../e2e/support/plan-people.ts';
import type { BenchStore } from './bench-server.ts';
import { scratchDatabase } from './scratch-database.ts';
import type { ProbeReport } from './service-probe.ts';

export const ROOT = resolve(import.meta.dirname, '../..');
export const MAIN = join(ROOT, 'services/api/dist/start/main.js');

/** Builds the service as `./run start` does (turbo: a no-op when the bundle is current). */
export function buildService(log: (line: string) => void): void {
  log('building the service as ./run start does (turbo run bundle --filter=@small-steps/api)');
  execFileSync('pnpm', ['-s', 'turbo', 'run', 'bundle', '--filter=@small-steps/api', '--output-logs=errors-only'], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

/** Node's flags as `pnpm start` (and so `./run start`) gives them. */
export function startFlags(): string[] {
  const { scripts } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } };
  const command = /\bnode ((?:--\S+ )*)services\/api\/dist\/start\/main\.js/.exec(scripts.start);
  if (!command) throw new Error('the start script no longer runs node services/api/dist/start/main.js');
  return command[1]!.trim().split(' ').filter(Boolean);
}

/**
 * Flags to compare against the start script's, from `BENCH_SERVICE_NODE_FLAGS` (space-separated):
 * given after them, so a flag given again wins (`--max-semi-space-size=32`).
 */
const trialFlags = (): string[] => (process.env.BENCH_SERVICE_NODE_FLAGS ?? '').split(' ').filter(Boolean);

/**
 * Spawns the built service on `port` with `env` (and PATH, HOME, HOST) only. With `probe`, the process
 * also loads service-probe.ts and answers the bench over IPC.
 */
export function spawnService(port: number, env: Record<string, string>, { probe = false } = {}): ChildProcess {
  const preload = probe ? ['--import', join(import.meta.dirname, 'service-probe.ts')] : [];
  return spawn(process.execPath, [...startFlags(), ...trialFlags(), ...preload, MAIN], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, HOST: '127.0.0.1', PORT: String(port), ...env },
    stdio: ['ignore', 'ignore', 'pipe', ...(probe ? (['ipc'] as const) : [])],
  });
}

/** Whether `path` on the local port answers 200 (within 2 s). */
export async function answers200(port: number, path: string): Promise<boolean> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(2_000) });
    await response.arrayBuffer();
    return response.status === 200;
  } catch {
    return false;
  }
}

/** A port free on 127.0.0.1 now. */
export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? done(address.port) : fail(new Error('no port'))));
    });
  });
}

const READY_TIMEOUT_MS = 60_000;
// The bench's own signing secret, so that it can mint the LA system's token the service accepts.
const AUTH = {
  secret: 'small-steps-bench-secret-not-for-any-deployment',
  issuer: 'small-steps-bench',
  audience: 'small-steps-api',
};

/** The built service, probed, on a fresh data folder or scratch database. */
export interface ServiceProcess {
  baseUrl: string;
  /** A bearer token of the LA's case-management system. */
  token: string;
  /** A bearer token the service accepts for anyone else. */
  tokenFor(principal: Principal): Promise<string>;
  pid: number;
  /** Asks the probe to start counting (GC, event-loop delay). */
  startProbe(): void;
  /** What the probe counted since {@link startProbe}. */
  stopProbe(): Promise<ProbeReport>;
  close(): Promise<void>;
}

/**
 * Starts the built service in a process of its own, as production runs it (responses not checked
 * against their schemas, no rate limit in the way of the load), with `env` on top.
 */
export async function startServiceProcess(
  kind: BenchStore,
  connectionString: string,
  env: Record<string, string> = {},
): Promise<ServiceProcess> {
  const folder = await mkdtemp(join(tmpdir(), 'small-steps-bench-'));
  const database = kind === 'postgres' ? await scratchDatabase(connectionString) : null;
  const port = await freePort();
  const child = spawnService(
    port,
    {
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATA_DIR: folder,
      RATE_LIMIT_PER_MINUTE: '100000000',
      CHECK_RESPONSES: 'false',
      AUTH_JWT_SECRET: AUTH.secret,
      AUTH_ISSUER: AUTH.issuer,
      AUTH_AUDIENCE: AUTH.audience,
      ...(database ? { DATABASE_URL: database.url } : {}),
      ...env,
    },
    { probe: true },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const close = async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
    await database?.drop();
    await rm(folder, { recursive: true, force: true });
  };
  try {
    const started = performance.now();
    while (!(await answers200(port, '/health/ready'))) {
      if (child.exitCode !== null) throw new Error(`the service exited with ${child.exitCode}: ${stderr}`);
      if (performance.now() - started > READY_TIMEOUT_MS) throw new Error(`not ready in time: ${stderr}`);
      await new Promise((wait) => setTimeout(wait, 20));
    }
  } catch (error) {
    await close();
    throw error;
  }
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    token: await mintDevToken(laSystem, AUTH),
    tokenFor: (principal) => mintDevToken(principal, AUTH),
    pid: child.pid!,
    startProbe: () => child.send('start'),
    stopProbe: () =>
      new Promise<ProbeReport>((done, fail) => {
        // A service that died under load has no report to give: say so rather than wait forever.
        const died = () => fail(new Error(`the service exited with ${child.exitCode}: ${stderr}`));
        if (child.exitCode !== null) return died();
        child.once('exit', died);
        child.once('message', (report) => {
          child.off('exit', died);
          done(report as ProbeReport);
        });
        child.send('stop');
      }),
    close,
  };
}
