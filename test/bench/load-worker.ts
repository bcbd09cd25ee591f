// Runs autocannon in a process of its own, so the load generator does not share the server's event loop
// (autocannon does not aggregate its figures inside a worker thread).
import autocannon from 'autocannon';
import { arrivalLoad } from './arrival-load.ts';

/** What the bench asks of the load generator; paths rotate so each request may hit another stream. */
export interface LoadRequest {
  url: string;
  method: 'GET' | 'POST';
  paths: string[];
  headers: Record<string, string>;
  body?: string;
  connections: number;
  seconds: number;
  /** Requests per second arriving at even intervals; without it, each connection sends as fast as it can. */
  overallRate?: number;
  /** With `overallRate`: seconds sent at the same rate before measuring starts, not recorded. */
  warmupSeconds?: number;
}

export interface LoadResult {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  max: number;
  ok: number;
  notOk: number;
  errors: number;
  /** With `overallRate`: how late the generator dispatched requests (ms), so its own stalls can be told from the server's. */
  dispatchLate?: { p99: number; max: number };
}

const request = await new Promise<LoadRequest>((resolve) => process.once('message', (m) => resolve(m as LoadRequest)));
const result = request.overallRate
  ? await arrivalLoad({ ...request, overallRate: request.overallRate })
  : await closedLoop(request);
process.send!(result);
process.disconnect();

/** As many requests as the connections can carry: the throughput figure. */
async function closedLoop(request: LoadRequest): Promise<LoadResult> {
  let next = 0;
  const result = await autocannon({
    url: request.url,
    connections: request.connections,
    duration: request.seconds,
    requests: [
      {
        method: request.method,
        headers: request.headers,
        ...(request.body ? { body: request.body } : {}),
        setupRequest: (r) => ({ ...r, path: request.paths[next++ % request.paths.length]! }),
      },
    ],
  });
  return {
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    ok: result['2xx'],
    notOk: result.non2xx,
    errors: result.errors,
  };
}
