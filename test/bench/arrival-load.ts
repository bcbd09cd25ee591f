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
  const histogram = microseconds();
  const counts = { ok: 0, notOk: 0, errors: 0 };
  // How late the generator itself dispatched each request (its timers and event loop, not the server).
  const dispatchLate = microseconds();
  const interval = 1000 / request.overallRate;
  const warmup = Math.round((request.warmupSeconds ?? 0) * request.overallRate);
  const total = warmup + Math.round(request.seconds * request.overallRate);
  let inFlight = 0;
  let allAnswered: () => void = () => {};

  // undici's dispatch with a handler of its own, not `request`: no body stream nor promise per
  // request, so the generator takes less of the CPU the server it measures shares with it.
  const send = (index: number, dueAt: number) => {
    const recorded = index >= warmup;
    let status = 0;
    inFlight++;
    const settle = (failed: boolean) => {
      if (recorded) {
        if (failed) counts.errors++;
        else {
          if (status >= 200 && status < 300) counts.ok++;
          else counts.notOk++;
          record(histogram, performance.now() - dueAt);
        }
      }
      if (--inFlight === 0) allAnswered();
    };
    pool.dispatch(
      {
        path: request.paths[index % request.paths.length]!,
        method: request.method,
        headers: request.headers,
        ...(request.body ? { body: request.body } : {}),
      },
      {
        // undici refuses a handler without onRequestStart; the body is read and dropped.
        onRequestStart: () => {},
        onResponseStart: (_controller, statusCode) => {
          status = statusCode;
        },
        onResponseData: () => {},
        onResponseEnd: () => settle(false),
        onResponseError: () => settle(true),
      },
    );
  };

  const start = performance.now();
  let sent = 0;
  while (sent < total) {
    const now = performance.now();
    for (; sent < total && start + sent * interval <= now; sent++) {
      if (sent >= warmup) record(dispatchLate, now - (start + sent * interval));
      send(sent, start + sent * interval);
    }
    // Sleep until the next request is due; timers fire late, never early, and lateness is counted.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, start + sent * interval - performance.now())));
  }
  if (inFlight > 0) await new Promise<void>((resolve) => (allAnswered = resolve));
  const seconds = (performance.now() - (start + warmup * interval)) / 1000;
  await pool.close();
  return {
    requestsPerSecond: (counts.ok + counts.notOk) / seconds,
    p50: msAt(histogram, 50),
    p99: msAt(histogram, 99),
    max: msAt(histogram, 100),
    ...counts,
    dispatchLate: { p99: msAt(dispatchLate, 99), max: msAt(dispatchLate, 100) },
  };
}

/** A histogram of durations in microseconds, from 1 µs to a minute. */
const microseconds = () =>
  hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: 3 });

const record = (histogram: hdr.Histogram, ms: number) => histogram.recordValue(Math.max(1, Math.round(ms * 1000)));

/** The histogram's value at a percentile, in milliseconds to two places. */
const msAt = (histogram: hdr.Histogram, percentile: number) =>
  Math.round(histogram.getValueAtPercentile(percentile) / 10) / 100;
