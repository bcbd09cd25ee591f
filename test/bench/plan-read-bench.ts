// How a plan read grows with its history (issue #18): GET /v1/plans/{planId} and an attempt answered
// with the whole plan, on plans of 80, 1,000 and 3,000 attempts in the same run, each beside the
// 80-attempt figure. Goal: p50 < 5 ms at any length. A plan carries each step's latest 20 attempts
// (the rest are paged from GET …/steps/{stepId}/attempts), so its size does not grow with them.

import { benchStores, startBenchServer } from './bench-server.ts';
import type { BenchFigure } from './figures.ts';
import { load } from './load.ts';
import { preparePlans, yesterday } from './plan-attempts-bench.ts';

const LENGTHS = [80, 1_000, 3_000];
const P50_TARGET_MS = 5;
const SECONDS = 5;
const CONNECTIONS = 4;

export async function benchPlanRead(connectionString: string, log: (line: string) => void): Promise<BenchFigure[]> {
  const figures: BenchFigure[] = [];
  for (const kind of benchStores()) {
    // Sealed as in production: every attempt's personal fields are opened on read.
    const { baseUrl, token, close } = await startBenchServer(kind, connectionString, { sealed: true });
    try {
      const planIds = await preparePlans(baseUrl, token, LENGTHS.length);
      const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
      const attempt = JSON.stringify({
        outcome: 'completed',
        anxietyBefore: 5,
        anxietyAfter: 4,
        minutes: 20,
        occurredOn: yesterday(),
      });
      log(`${kind}: recording ${LENGTHS.join(', ')} attempts on ${LENGTHS.length} plans`);
      await Promise.all(
        planIds.map((planId, i) =>
          record(baseUrl, planId, LENGTHS[i]!, { ...headers, prefer: 'return=minimal' }, attempt),
        ),
      );
      const shortest: Record<string, number> = {};
      // Each figure beside the same figure at the shortest length, measured in this run.
      const growth = (what: string, length: number, value: number) => {
        shortest[what] ??= value;
        return length === LENGTHS[0]
          ? {}
          : { baseline: `${LENGTHS[0]} attempts`, ratio: value / Math.max(shortest[what]!, 0.1) };
      };
      for (const [i, planId] of planIds.entries()) {
        const length = LENGTHS[i]!;
        const read = await load({
          url: baseUrl,
          method: 'GET',
          paths: [`/v1/plans/${planId}`],
          headers,
          connections: CONNECTIONS,
          seconds: SECONDS,
        });
        // One writer at a time: a plan is one stream, so concurrent attempts on it only queue.
        const answered = await load({
          url: baseUrl,
          method: 'POST',
          paths: [`/v1/plans/${planId}/steps/step-1/attempts`],
          headers,
          body: attempt,
          connections: 1,
          seconds: SECONDS,
        });
        for (const [what, result] of [
          ['GET plan', read],
          ['attempt, whole plan back', answered],
        ] as const) {
          log(
            `${kind} ${what} at ${length} attempts: ${result.requestsPerSecond.toFixed(0)} req/s, p50 ${result.p50} ms, p99 ${result.p99} ms, ${result.notOk} not ok`,
          );
          if (result.notOk > 0 || result.errors > 0)
            throw new Error(`${kind}: ${what} answered ${result.notOk} non-2xx`);
        }
        figures.push(
          {
            name: `${kind}: GET /v1/plans/{planId} p50, ${length} attempts`,
            value: read.p50,
            unit: 'ms',
            ...growth('read', length, read.p50),
            target: `p50 < ${P50_TARGET_MS} ms`,
            met: read.p50 < P50_TARGET_MS,
          },
          { name: `${kind}: GET /v1/plans/{planId} p99, ${length} attempts`, value: read.p99, unit: 'ms' },
          {
            name: `${kind}: attempt with the whole plan back p50, ${length} attempts`,
            value: answered.p50,
            unit: 'ms',
            ...growth('answered', length, answered.p50),
            target: `p50 < ${P50_TARGET_MS} ms`,
            met: answered.p50 < P50_TARGET_MS,
          },
        );
      }
    } finally {
      await close();
    }
  }
  return figures;
}

async function record(baseUrl: string, planId: string, count: number, headers: Record<string, string>, body: string) {
  for (let n = 0; n < count; n++) {
    const answer = await fetch(`${baseUrl}/v1/plans/${planId}/steps/step-1/attempts`, {
      method: 'POST',
      headers,
      body,
    });
    if (answer.status !== 201 && answer.status !== 200) {
      throw new Error(`attempt ${n} on ${planId} answered ${answer.status}: ${await answer.text()}`);
    }
    await answer.arrayBuffer();
  }
}
