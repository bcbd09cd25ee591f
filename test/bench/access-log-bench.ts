// What recording reads costs (issue #14): p99 of GET /v1/plans/{planId} for a person, whose every
// read writes an access-log row first, against the same read by an LA system, which writes none,
// on the same server in the same run, the two taking turns.
import { availableParallelism } from 'node:os';
import { buildApp, type Config, loadConfig, mintDevToken } from '@small-steps/api';
import { openStorage } from '@small-steps/application';
import type { Principal } from '@small-steps/domain';
import { apiClient } from '../e2e/support/api-client.ts';
import { daysBefore, todayInEngland } from '../e2e/support/dates.ts';
import { laSystem, people, registerPupil } from '../e2e/support/plan-people.ts';
import type { BenchFigure } from './figures.ts';
import { load } from './load.ts';
import { scratchDatabase } from './scratch-database.ts';

const PLANS = 64;
const CONNECTIONS = 16;
const SECONDS = 10;
const RATE = 500;
const ROUNDS = 5;
const WARMUP_SECONDS = 5;
const KINDS = ['unrecorded', 'recorded'] as const;
type Kind = (typeof KINDS)[number];
const TARGET = 1.15;
const officer: Principal = { id: 'officer-17', role: 'la_officer', tenant: '801' };

/** GET /v1/plans/{planId} at 500 requests/s, recorded (la_officer) and not (la_system), on PostgreSQL. */
export async function benchAccessLog(connectionString: string, log: (line: string) => void): Promise<BenchFigure[]> {
  const database = await scratchDatabase(connectionString);
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    RATE_LIMIT_PER_MINUTE: '100000000',
    CHECK_RESPONSES: 'false',
    DATABASE_URL: database.url,
    DATABASE_POOL_SIZE: String(2 * availableParallelism()),
  });
  const storage = await openStorage(config.database);
  const app = await buildApp({ config, storage });
  try {
    const baseUrl = await app.listen({ host: '127.0.0.1', port: 0 });
    const system = await tokenFor(config, laSystem);
    log(`preparing ${PLANS} plans`);
    const paths = await openPlans(baseUrl, system);
    const p99s = { recorded: [] as number[], unrecorded: [] as number[] };
    const tokens = { recorded: await tokenFor(config, officer), unrecorded: system };
    const run = async (kind: Kind, seconds: number) => {
      const result = await load({
        url: baseUrl,
        method: 'GET',
        paths,
        headers: { authorization: `Bearer ${tokens[kind]}`, 'x-access-reason': 'Benchmark of the access log' },
        connections: CONNECTIONS,
        seconds,
        overallRate: RATE,
        warmupSeconds: 2,
      });
      if (result.notOk > 0 || result.errors > 0) throw new Error(`${kind}: ${result.notOk + result.errors} failed`);
      return result;
    };
    // The first seconds of each path after start are slower whichever path it is (compilation,
    // caches, a new table's first pages): both kinds warm up before any round counts.
    for (const kind of KINDS) {
      const result = await run(kind, WARMUP_SECONDS);
      log(`warm-up, ${kind}: p50 ${result.p50} ms, p99 ${result.p99} ms (not counted)`);
    }
    for (let round = 0; round < ROUNDS; round++) {
      // Taking turns A B, B A, A B: neither kind always runs first.
      for (const kind of round % 2 === 0 ? KINDS : [...KINDS].reverse()) {
        const result = await run(kind, SECONDS);
        log(`round ${round + 1}, ${kind}: p50 ${result.p50} ms, p99 ${result.p99} ms, max ${result.max} ms`);
        p99s[kind].push(result.p99);
      }
    }
    // Each round's p99 is printed above. The figure compares the medians of the rounds: a stall of
    // the shared machine lands in one round of one kind, and would decide a ratio of maxima alone.
    const recorded = middle(p99s.recorded);
    const unrecorded = middle(p99s.unrecorded);
    const ratio = recorded / unrecorded;
    return [
      {
        name: `GET /v1/plans/{planId} p99 at ${RATE} req/s, not recorded (la_system), median of ${ROUNDS} rounds`,
        value: unrecorded,
        unit: 'ms',
      },
      {
        name: `GET /v1/plans/{planId} p99 at ${RATE} req/s, recorded (la_officer), median of ${ROUNDS} rounds`,
        value: recorded,
        unit: 'ms',
        baseline: 'not recorded',
        ratio,
        target: `≤ ${Math.round((TARGET - 1) * 100)} % slower`,
        met: ratio <= TARGET,
      },
    ];
  } finally {
    await app.close();
    await storage.close();
    await database.drop();
  }
}

const tokenFor = (config: Config, principal: Principal) =>
  mintDevToken(principal, { secret: config.auth.secret!, issuer: config.auth.issuer, audience: config.auth.audience });

async function openPlans(baseUrl: string, token: string): Promise<string[]> {
  const api = apiClient(baseUrl, token);
  const paths: string[] = [];
  for (let serial = 0; serial < PLANS; serial++) {
    const opened = await api.post('/v1/plans', {
      pupilId: await registerPupil(api, serial),
      keyAdult: { id: people.keyAdult.id, name: 'Ms Patel' },
      presentingConcern: 'Has not attended since the summer.',
      occurredOn: daysBefore(todayInEngland(), 1),
    });
    if (opened.status !== 201) throw new Error(`opening a plan answered ${opened.status}`);
    paths.push(`/v1/plans/${opened.body.planId}`);
  }
  return paths;
}

const middle = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
