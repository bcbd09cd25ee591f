// HTTP throughput and latency of recording attempts (issue #4), on PGlite and on PostgreSQL,
// each against the same server's liveness route measured in the same run.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp, type Config, loadConfig, mintDevToken, openStore } from '@small-steps/api';
import { apiClient } from '../e2e/support/api-client.ts';
import { agreedBy, groundworkAreas, laSystem, people, planCommand, registerPupil } from '../e2e/support/plan-people.ts';
import type { BenchFigure } from './figures.ts';
import { load } from './load.ts';
import { scratchDatabase } from './scratch-database.ts';

const PLANS = 64;
const CONNECTIONS = 16;
const SECONDS = 10;
const FIXED_RATE = 500;
const P99_TARGET_MS = 25;

/** Recording an attempt on one of 64 plans with a started step, 16 connections, on both stores. */
export async function benchPlanAttempts(connectionString: string, log: (line: string) => void): Promise<BenchFigure[]> {
  const figures: BenchFigure[] = [];
  for (const kind of ['pglite', 'postgres'] as const) {
    const folder = await mkdtemp(join(tmpdir(), 'small-steps-bench-'));
    const database = kind === 'postgres' ? await scratchDatabase(connectionString) : null;
    const config = loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATA_DIR: folder,
      RATE_LIMIT_PER_MINUTE: '100000000',
      ...(database ? { DATABASE_URL: database.url, DATABASE_POOL_SIZE: String(CONNECTIONS) } : {}),
    });
    const store = await openStore(config.database);
    const app = await buildApp({ config, store });
    try {
      const baseUrl = await app.listen({ host: '127.0.0.1', port: 0 });
      const token = await tokenFor(config);
      log(`${kind}: preparing ${PLANS} plans with a started step`);
      const planIds = await preparePlans(baseUrl, token);
      figures.push(...(await measure(kind, baseUrl, token, planIds, log)));
    } finally {
      await app.close();
      await store.close();
      await database?.drop();
      await rm(folder, { recursive: true, force: true });
    }
  }
  return figures;
}

const tokenFor = (config: Config) =>
  mintDevToken(laSystem, { secret: config.auth.secret!, issuer: config.auth.issuer, audience: config.auth.audience });

/** Yesterday in England: every fact is dated then, so none is in the future whenever the bench runs. */
function yesterday(): string {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date());
  const date = new Date(`${today}T12:00:00Z`);
  date.setUTCDate(date.getUTCDate() - 1);
  return date.toISOString().slice(0, 10);
}

async function preparePlans(baseUrl: string, token: string): Promise<string[]> {
  const api = apiClient(baseUrl, token);
  const occurredOn = yesterday();
  const planIds: string[] = [];
  for (let serial = 0; serial < PLANS; serial++) {
    const pupilId = await registerPupil(api, serial);
    const opened = await api.post('/v1/plans', {
      pupilId,
      keyAdult: { id: people.keyAdult.id, name: 'Ms Patel' },
      presentingConcern: 'Has not attended since the summer.',
      occurredOn,
    });
    if (opened.status !== 201)
      throw new Error(`opening a plan answered ${opened.status}: ${JSON.stringify(opened.body)}`);
    const planId: string = opened.body.planId;
    for (const role of ['pupil', 'parent_carer']) {
      await planCommand(api, planId, '/views', {
        role,
        worries: 'Noise.',
        whatHelps: 'Quiet.',
        hopes: 'Friends.',
        occurredOn,
      });
    }
    for (const area of groundworkAreas)
      await planCommand(api, planId, `/groundwork/${area}`, { summary: 'Done.', occurredOn });
    await planCommand(api, planId, '/goals', {
      goalId: 'goal-1',
      pupilWords: 'A full day.',
      participants: agreedBy,
      occurredOn,
    });
    const step = {
      description: 'Walk to the gate',
      where: 'Gate',
      withWhom: 'Ms Patel',
      supports: [],
      minutes: 30,
      timesPerWeek: 5,
      dependsOn: [],
    };
    await planCommand(api, planId, '/goals/goal-1/steps', {
      steps: [{ ...step, stepId: 'step-1', predictedAnxiety: 3 }],
      participants: agreedBy,
      occurredOn,
    });
    await planCommand(api, planId, '/steps/step-1/start', { occurredOn });
    planIds.push(planId);
  }
  return planIds;
}

async function measure(kind: string, baseUrl: string, token: string, planIds: string[], log: (line: string) => void) {
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const body = JSON.stringify({
    outcome: 'completed',
    anxietyBefore: 5,
    anxietyAfter: 4,
    minutes: 20,
    occurredOn: yesterday(),
  });
  // Spread over the plans as an LA's systems would: one stream each, no artificial hot spot.
  const paths = planIds.map((id) => `/v1/plans/${id}/steps/step-1/attempts`);
  const attempts = (overallRate?: number) =>
    load({
      url: baseUrl,
      method: 'POST',
      paths,
      headers,
      body,
      connections: CONNECTIONS,
      seconds: SECONDS,
      ...(overallRate ? { overallRate } : {}),
    });

  const live = await load({
    url: baseUrl,
    method: 'GET',
    paths: ['/health/live'],
    headers: {},
    connections: CONNECTIONS,
    seconds: 5,
  });
  const open = await attempts();
  const fixed = await attempts(FIXED_RATE);
  for (const [name, result] of [
    ['open loop', open],
    [`${FIXED_RATE} req/s`, fixed],
  ] as const) {
    log(
      `${kind} attempts ${name}: ${result.requestsPerSecond.toFixed(0)} req/s, p50 ${result.p50} ms, p99 ${result.p99} ms, ` +
        `${result.ok} ok, ${result.notOk} not ok, ${result.errors} errors`,
    );
    if (result.notOk > 0 || result.errors > 0) throw new Error(`${kind}: ${result.notOk} answers were not 2xx`);
  }
  const p99Target =
    kind === 'postgres'
      ? { target: `p99 < ${P99_TARGET_MS} ms at ${FIXED_RATE} req/s`, met: fixed.p99 < P99_TARGET_MS }
      : {};
  return [
    { name: `${kind}: GET /health/live, ${CONNECTIONS} connections`, value: live.requestsPerSecond, unit: 'req/s' },
    {
      name: `${kind}: POST attempts, ${CONNECTIONS} connections`,
      value: open.requestsPerSecond,
      unit: 'req/s',
      baseline: 'GET /health/live',
      ratio: open.requestsPerSecond / live.requestsPerSecond,
    },
    { name: `${kind}: POST attempts p99 at ${FIXED_RATE} req/s`, value: fixed.p99, unit: 'ms', ...p99Target },
    { name: `${kind}: POST attempts p50 at ${FIXED_RATE} req/s`, value: fixed.p50, unit: 'ms' },
  ] satisfies BenchFigure[];
}
