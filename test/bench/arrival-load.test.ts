import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { arrivalLoad } from './arrival-load.ts';

// The generator's own counting: a bench that miscounted would pass a server that fails.
describe('arrivalLoad', () => {
  let server: Server;
  let url: string;
  const bodies: string[] = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      request.on('end', () => {
        bodies.push(body);
        if (request.url === '/drop') return void request.socket.destroy();
        response.statusCode = request.url === '/busy' ? 503 : 200;
        response.end('x'.repeat(20_000));
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((done) => server.close(() => done())));

  it('counts answered, refused and failed requests apart, and sends each at its rate with its body', async () => {
    const result = await arrivalLoad({
      url,
      method: 'POST',
      paths: ['/ok', '/busy', '/drop'],
      headers: { 'content-type': 'application/json' },
      body: '{"n":1}',
      connections: 4,
      seconds: 1,
      overallRate: 150,
      warmupSeconds: 0.2,
    });
    // 30 warm-up requests are sent but not counted; the 150 measured rotate over the three paths.
    expect(bodies.filter((body) => body === '{"n":1}')).toHaveLength(180);
    expect({ ok: result.ok, notOk: result.notOk, errors: result.errors }).toEqual({ ok: 50, notOk: 50, errors: 50 });
    expect(result.requestsPerSecond).toBeGreaterThan(50);
    expect(result.p50).toBeGreaterThan(0);
    expect(result.max).toBeGreaterThanOrEqual(result.p99);
  });
});
