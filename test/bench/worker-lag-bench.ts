// Worker lag (issue #12): how long after an event is committed the projection worker has applied it,
// under the HTTP load of the plan benchmark (observations and attempts recorded at 500 req/s on
// PostgreSQL, each plan written by one load only, as the plan benchmark does). The worker runs the real worker projections, each wrapped to note, once its batch has
// committed, the time since each event was recorded. Baseline: the same figure with no load.

import { createApplication } from '@small-steps/application';
import { type Projection, ProjectionWorker } from '@small-steps/projections';
import { startBenchServer } from './bench-server.ts';
import type { BenchFigure } from './figures.ts';
import { load } from './load.ts';
import { preparePlans, yesterday } from './plan-attempts-bench.ts';

const PLANS = 64;
const RATE = 500;
const SECONDS = 10;
const P99_TARGET_S = 1;

export async function benchWorkerLag(connectionString: string, log: (line: string) => void): Promise<BenchFigure[]> {
  const { config, storage, baseUrl, token, close } = await startBenchServer('postgres', connectionString, {
    env: { RUN_PROJECTIONS: 'false' },
  });
  const lags: number[] = [];
  const application = createApplication({ storage, tenantSettings: config.tenantSettings });
  const worker = new ProjectionWorker({
    storage: { store: application.store, db: storage.db, leases: storage.leases },
    projections: application.workerProjections.map((projection) => timed(projection, lags)),
    log: { info: () => undefined, warn: () => undefined, error: (o, m) => log(`worker: ${m} ${JSON.stringify(o)}`) },
    pollMs: 1000,
  });
  try {
    log(`postgres: preparing ${PLANS} plans`);
    const planIds = await preparePlans(baseUrl, token, PLANS);
    // The plans' own events are old news: applied before measuring, so no lag counts them.
    await worker.catchUp();
    worker.start();
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json', prefer: 'return=minimal' };
    const observation = JSON.stringify({
      what: 'Held his ears in assembly.',
      tags: ['trigger', 'location'],
      time: '09:05',
      occurredOn: yesterday(),
    });
    const attempt = JSON.stringify({
      outcome: 'completed',
      anxietyBefore: 5,
      anxietyAfter: 4,
      minutes: 20,
      occurredOn: yesterday(),
    });
    const measure = async (label: string, rate: number) => {
      lags.length = 0;
      const loads = [
        load({
          url: baseUrl,
          method: 'POST',
          paths: planIds.slice(0, PLANS / 2).map((id) => `/v1/plans/${id}/observations`),
          headers,
          body: observation,
          connections: 8,
          seconds: SECONDS,
          overallRate: rate / 2,
          warmupSeconds: 1,
        }),
        load({
          url: baseUrl,
          method: 'POST',
          paths: planIds.slice(PLANS / 2).map((id) => `/v1/plans/${id}/steps/step-1/attempts`),
          headers,
          body: attempt,
          connections: 8,
          seconds: SECONDS,
          overallRate: rate / 2,
          warmupSeconds: 1,
        }),
      ];
      const results = await Promise.all(loads);
      await worker.catchUp();
      const sorted = [...lags].sort((a, b) => a - b);
      const at = (q: number) => (sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0) / 1000;
      log(
        `${label}: ${sorted.length} events applied, lag p50 ${at(0.5).toFixed(3)} s, p99 ${at(0.99).toFixed(3)} s, max ${at(1).toFixed(3)} s; ` +
          results.map((r) => `${r.requestsPerSecond.toFixed(0)} req/s (${r.notOk} not ok)`).join(', '),
      );
      return { p50: at(0.5), p99: at(0.99), events: sorted.length };
    };
    const quiet = await measure('at 20 req/s', 20);
    const loaded = await measure(`at ${RATE} req/s`, RATE);
    return [
      { name: 'postgres: worker lag p99, 20 req/s', value: quiet.p99, unit: 's' },
      {
        name: `postgres: worker lag p99 under ${RATE} req/s of plan commands`,
        value: loaded.p99,
        unit: 's',
        baseline: 'at 20 req/s',
        ratio: loaded.p99 / Math.max(quiet.p99, 0.001),
        target: `p99 < ${P99_TARGET_S} s`,
        met: loaded.p99 < P99_TARGET_S,
      },
      { name: `postgres: worker lag p50 under ${RATE} req/s of plan commands`, value: loaded.p50, unit: 's' },
    ];
  } finally {
    await worker.stop();
    await close();
  }
}

/** The projection, noting for each event, once its batch has committed, how long ago it was recorded. */
function timed(projection: Projection, lags: number[]): Projection {
  return {
    ...projection,
    async apply(events, tx) {
      await projection.apply(events, tx);
      tx.afterCommit(() => {
        const now = Date.now();
        for (const event of events) lags.push(now - event.recordedAt.getTime());
      });
    },
  };
}
