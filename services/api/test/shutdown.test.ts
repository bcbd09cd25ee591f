import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { mintDevToken } from '../src/auth/dev-tokens.ts';
import { loadConfig } from '../src/config.ts';
import { databases, officer, startTestApp, type TestApp } from './fixtures/test-app.ts';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function get(port: number, path: string, agent: Agent): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent }, (res) => {
      let body = '';
      res.on('data', (chunk) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('closing with keep-alive connections open', () => {
  let t: TestApp | undefined;
  const agent = new Agent({ keepAlive: true });
  afterEach(async () => {
    agent.destroy();
    await t?.close().catch(() => {});
  });

  it('answers a request in flight with Connection: close, refuses new connections, and closes promptly', async () => {
    t = await startTestApp(databases[0]!, {}, (app) => {
      app.get('/v1/slow', { config: { public: true } }, async () => {
        await sleep(500);
        return { done: true };
      });
    });
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = t.app.server.address() as { port: number };
    // Two keep-alive connections: one busy at the close, one idle.
    await Promise.all([get(port, '/health/live', agent), get(port, '/health/live', agent)]);

    const inFlight = get(port, '/v1/slow', agent);
    await sleep(100);
    const started = Date.now();
    const closed = t.app.close().then(() => Date.now() - started);
    await sleep(50);
    await expect(get(port, '/health/live', new Agent())).rejects.toMatchObject({ code: 'ECONNREFUSED' });

    const answer = await inFlight;
    expect(answer).toMatchObject({ status: 200, body: '{"done":true}' });
    expect(answer.headers.connection).toBe('close');
    // Not the keep-alive timeout (72 s): the close ends with the last answer.
    expect(await Promise.race([closed, sleep(3_000).then(() => 'still open')])).toBeLessThan(3_000);
  });
});

describe('SIGTERM', () => {
  let child: ChildProcess | undefined;
  let folder: string | undefined;
  afterEach(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  /** Starts the service as `./run dev` does, on PGlite in a folder of its own; resolves with its URL. */
  const startService = async () => {
    folder = await mkdtemp(join(tmpdir(), 'small-steps-shutdown-'));
    const main = new URL('../src/main.ts', import.meta.url).pathname;
    const started = spawn(process.execPath, ['--conditions=development', main], {
      env: { ...process.env, NODE_ENV: 'test', HOST: '127.0.0.1', PORT: '0', DATA_DIR: folder, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = started;
    let output = '';
    const url = await new Promise<string>((resolve, reject) => {
      started.stdout?.on('data', (chunk) => {
        output += chunk;
        const listening = /listening on (http:\/\/\S+)/.exec(output);
        if (listening?.[1]) resolve(listening[1]);
      });
      started.stderr?.on('data', (chunk) => {
        output += chunk;
      });
      started.on('exit', (code) => reject(new Error(`the service exited (${code}) before listening:\n${output}`)));
    });
    const exited = new Promise<number | null>((resolve) => started.on('exit', (code) => resolve(code)));
    return { url, port: Number(new URL(url).port), process: started, exited };
  };

  it('answers a request in flight on a keep-alive connection, then exits', async () => {
    const service = await startService();
    const { secret, issuer, audience } = loadConfig({ NODE_ENV: 'test' }).auth;
    const token = await mintDevToken(officer, { secret: secret!, issuer, audience });
    const body = Buffer.from(
      JSON.stringify({
        upn: 'H801200001001',
        givenName: 'Sam',
        familyName: 'Taylor',
        dateOfBirth: '2017-03-14',
        yearGroup: '3',
        senProvision: 'E',
        needs: [{ need: 'SEMH', rank: 1 }],
        schoolUrn: '100001',
        admissionDate: '2025-09-03',
      }),
    );

    // A keep-alive connection that has answered once, then sends a request whose body is still on
    // its way when SIGTERM arrives.
    const socket: Socket = connect(service.port, '127.0.0.1');
    let received = '';
    socket.on('data', (chunk) => {
      received += chunk;
    });
    const socketClosed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    const socketError = new Promise<string | undefined>((resolve) => {
      socket.on('error', (e: NodeJS.ErrnoException) => resolve(e.code));
      socket.on('close', () => resolve(undefined));
    });
    socket.write('GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n');
    while (!received.includes('"status":"ok"')) await sleep(20);
    received = '';
    socket.write(
      `POST /v1/pupils HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
    );
    socket.write(body.subarray(0, 20));
    await sleep(200);

    const signalled = Date.now();
    service.process.kill('SIGTERM');
    await sleep(500);
    socket.write(body.subarray(20));
    await Promise.race([socketClosed, sleep(10_000)]);
    socket.destroy();

    expect(await socketError).toBeUndefined();
    expect(received).toMatch(/^HTTP\/1\.1 201 /);
    expect(received.toLowerCase()).toContain('connection: close');
    expect(await Promise.race([service.exited, sleep(5_000).then(() => 'still running')])).toBe(0);
    expect(Date.now() - signalled).toBeLessThan(5_000);
  }, 120_000);
});
