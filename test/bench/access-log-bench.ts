// What recording reads costs (issue #14): p99 of GET /v1/plans/{planId} for a person, whose every
// read writes an access-log row first, against the same read by an LA system, which writes none,
// on the same server in the same run, the two taking turns. The server is the built service in a
// process of its own, as `./run start` runs it (service-process.ts).
import { availableParallelism } from 'node:os';
import type { Principal } from '@small-steps/domain';
import { apiClient } from '../e2e/support/api-client.ts';
import { daysBefore, todayInEngland } from '../e2e/support/dates.ts';
import { people, registerPupil } from '../e2e/support/plan-people.ts';
import { meterCpu } from './cpu-meter.ts';
import type { BenchFigure } from './figures.ts';
import { load } from './load.ts';
import { buildService, startServiceProcess } from './service-process.ts';

const PLANS = 64;
const CONNECTIONS = 16;
const SECONDS = 10;
const RATE = 500;
const ROUNDS = 7;
const WARMUP_SECONDS = 5;
const KINDS = ['unrecorded', 'recorded'] as const;
type Kind = (typeof KINDS)[number];
const TARGET = 1.15;
const officer: Principal = { id: 'officer-17', role: 'la_officer', tenant: '801' };

/** GET /v1/plans/{planId} at 500 requests/s, recorded (la_officer) and not (la_system), on PostgreSQL. */
export async function benchAccessLog(connectionString: string, log: (line: string) => void): Promise<BenchFigure[]> {
  buildService(log);
  const service = await startServiceProcess('postgres', connectionString, {
    DATABASE_POOL_SIZE: String(2 * availableParallelism()),
  });
  try {
    const { baseUrl, token: system } = service;
    log(`preparing ${PLANS} plans`);
    const paths = await openPlans(baseUrl, system);
    const p99s = { recorded: [] as number[], unrecorded: [] as number[] };
    const tokens = { recorded: await service.tokenFor(officer), unrecorded: system };
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
        const { result, cpu } = await meterCpu(() => run(kind, SECONDS), { pid: service.pid });
        const perRead = (ms: number | null) => (ms === null ? 'n/a' : `${((ms / result.ok) * 1000).toFixed(0)} µs`);
        log(
          `round ${round + 1}, ${kind}: p50 ${result.p50} ms, p99 ${result.p99} ms, max ${result.max} ms; ` +
            `CPU per read: API ${perRead(cpu.processMs)}, PostgreSQL ${perRead(cpu.postgresMs)}`,
        );
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
    await service.close();
  }
}

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
