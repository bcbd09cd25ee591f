// Load at a constant arrival rate (an open model). autocannon's `overallRate` lets each connection
// send its whole quota for the second as fast as it can and then wait for the next second, so its
// latencies are those of a saturating burst, not of requests arriving at that rate. Here request i
// is due at start + i / rate whatever the server is doing, and its latency runs from when it was
// due (coordinated omission corrected): time spent queued for a busy connection counts.
// The first `warmupSeconds` run at the same rate but are not recorded: the generator's own code is
// cold when its process starts, and a steady-state percentile should not carry its start-up.
import hdr from 'hdr-histogram-js';
import { Pool } from 'undici';
import type { LoadRequest, LoadResult } from './load-worker.ts';

export async function arrivalLoad(request: LoadRequest & { overallRate: number }): Promise<LoadResult> {
  const origin = new URL(request.url).origin;
  const pool = new Pool(origin, { connections: request.connections, pipelining: 1 });
  const histogram = hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 60_000_000,
    numberOfSignificantValueDigits: 3,
  });
  const counts = { ok: 0, notOk: 0, errors: 0 };
  // How late the generator itself dispatched each request (its timers and event loop, not the server).
  const dispatchLate = hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 60_000_000,
    numberOfSignificantValueDigits: 3,
  });
  const interval = 1000 / request.overallRate;
  const warmup = Math.round((request.warmupSeconds ?? 0) * request.overallRate);
  const total = warmup + Math.round(request.seconds * request.overallRate);
  const inFlight = new Set<Promise<void>>();

  const send = async (index: number, dueAt: number) => {
    const recorded = index >= warmup;
    try {
      const response = await pool.request({
        path: request.paths[index % request.paths.length]!,
        method: request.method,
        headers: request.headers,
        ...(request.body ? { body: request.body } : {}),
      });
      await response.body.dump();
      if (!recorded) return;
      if (response.statusCode >= 200 && response.statusCode < 300) counts.ok++;
      else counts.notOk++;
    } catch {
      if (recorded) counts.errors++;
      return;
    }
    if (!recorded) return;
    histogram.recordValue(Math.max(1, Math.round((performance.now() - dueAt) * 1000)));
  };

  const start = performance.now();
  let sent = 0;
  while (sent < total) {
    const now = performance.now();
    for (; sent < total && start + sent * interval <= now; sent++) {
      if (sent >= warmup) dispatchLate.recordValue(Math.max(1, Math.round((now - (start + sent * interval)) * 1000)));
      const pending = send(sent, start + sent * interval);
      inFlight.add(pending);
      void pending.finally(() => inFlight.delete(pending));
    }
    // Sleep until the next request is due; timers fire late, never early, and lateness is counted.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, start + sent * interval - performance.now())));
  }
  await Promise.all(inFlight);
  const seconds = (performance.now() - (start + warmup * interval)) / 1000;
  await pool.close();
  const ms = (percentile: number) => Math.round(histogram.getValueAtPercentile(percentile) / 10) / 100;
  return {
    requestsPerSecond: (counts.ok + counts.notOk) / seconds,
    p50: ms(50),
    p99: ms(99),
    max: ms(100),
    ...counts,
    dispatchLate: {
      p99: Math.round(dispatchLate.getValueAtPercentile(99) / 10) / 100,
      max: Math.round(dispatchLate.maxValue / 10) / 100,
    },
  };
}
