import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databases, officer, startTestApp, type TestApp } from './fixtures/test-app.ts';

interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** What went wrong on the connection, if anything did (EPIPE, ECONNRESET). */
  error?: string;
}

/** Sends bytes as written, reads until the server closes: for what a well-behaved client cannot send. */
function exchange(port: number, head: string, body?: Buffer): Promise<RawAnswer> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let error: string | undefined;
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', (e: NodeJS.ErrnoException) => {
      error ??= e.code ?? e.message;
    });
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('latin1');
      const [headText = '', ...rest] = text.split('\r\n\r\n');
      const [statusLine = '', ...headerLines] = headText.split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of headerLines) {
        const at = line.indexOf(':');
        headers[line.slice(0, at).toLowerCase()] = line.slice(at + 1).trim();
      }
      resolve({
        status: Number(statusLine.split(' ')[1] ?? 0),
        headers,
        body: rest.join('\r\n\r\n'),
        ...(error ? { error } : {}),
      });
    });
    socket.write(head);
    if (body) socket.write(body);
  });
}

const expectProblem = (
  answer: { status: number; headers: Record<string, string>; body: string },
  status: number,
  type: string,
) => {
  expect(answer.status).toBe(status);
  expect(answer.headers['content-type']).toContain('application/problem+json');
  const problem = JSON.parse(answer.body);
  expect(problem).toMatchObject({ type: `https://small-steps.org.uk/problems/${type}`, status });
  return problem;
};

describe('HTTP edges', () => {
  let t: TestApp;
  let port: number;
  let authorization: string;
  beforeAll(async () => {
    t = await startTestApp(databases[0]!);
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    port = (t.app.server.address() as { port: number }).port;
    authorization = `Bearer ${await t.token(officer)}`;
  });
  afterAll(async () => t?.close());

  it('answers an over-long path parameter with a 414 problem', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/v1/plans/${'a'.repeat(101)}`, { headers: { authorization } });
    const answer = { status: res.status, headers: Object.fromEntries(res.headers), body: await res.text() };
    const problem = expectProblem(answer, 414, 'uri-too-long');
    expect(problem.instance).toBe(res.headers.get('x-request-id'));
    expect(problem.detail).toBe('A path parameter is longer than 100 characters, which no id is.');
  });

  it('answers a URL that does not decode with a 400 problem', async () => {
    const answer = await exchange(
      port,
      `GET /v1/plans/%E0%A4%A HTTP/1.1\r\nHost: x\r\nAuthorization: ${authorization}\r\nConnection: close\r\n\r\n`,
    );
    expectProblem(answer, 400, 'malformed-request');
  });

  it('answers headers over the size limit with a 431 problem', async () => {
    const answer = await exchange(
      port,
      `GET /v1/plans HTTP/1.1\r\nHost: x\r\nX-Padding: ${'a'.repeat(20_000)}\r\n\r\n`,
    );
    expectProblem(answer, 431, 'headers-too-large');
  });

  it('answers a request that is not HTTP with a 400 problem', async () => {
    const answer = await exchange(port, 'HELLO THERE\r\n\r\n');
    expectProblem(answer, 400, 'malformed-request');
  });

  it('reads a body over the limit before answering 413, so the client sees the answer', async () => {
    const body = Buffer.alloc(5 * 1024 * 1024, 'a');
    {
      const res = await fetch(`http://127.0.0.1:${port}/v1/pupils`, {
        method: 'POST',
        headers: { authorization, 'content-type': 'application/json' },
        body,
      });
      const answer = { status: res.status, headers: Object.fromEntries(res.headers), body: await res.text() };
      expectProblem(answer, 413, 'payload-too-large');
    }
  });

  it('reads a chunked body over the limit before answering 413', async () => {
    const head = `POST /v1/pupils HTTP/1.1\r\nHost: x\r\nAuthorization: ${authorization}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`;
    const chunk = Buffer.alloc(256 * 1024, 'a');
    const chunks = Array.from({ length: 12 }, () =>
      Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]),
    );
    const answer = await exchange(port, head, Buffer.concat([...chunks, Buffer.from('0\r\n\r\n')]));
    expect(answer.error).toBeUndefined();
    expectProblem(answer, 413, 'payload-too-large');
  });

  it('answers a body over the limit by its Content-Length, read whole, without a reset', async () => {
    const body = Buffer.alloc(5 * 1024 * 1024, 'a');
    const head = `POST /v1/pupils HTTP/1.1\r\nHost: x\r\nAuthorization: ${authorization}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`;
    const answer = await exchange(port, head, body);
    expect(answer.error).toBeUndefined();
    expectProblem(answer, 413, 'payload-too-large');
  });

  it('stops reading a body far over the limit, answers 413 and closes the connection', async () => {
    const head = `POST /v1/pupils HTTP/1.1\r\nHost: x\r\nAuthorization: ${authorization}\r\nContent-Type: application/json\r\nContent-Length: ${64 * 1024 * 1024}\r\n\r\n`;
    const started = Date.now();
    // 9 MiB of the 64 announced, then nothing: the server reads 8 MiB at most and waits no longer.
    const answer = await exchange(port, head, Buffer.alloc(9 * 1024 * 1024, 'a'));
    expect(Date.now() - started).toBeLessThan(5_000);
    expectProblem(answer, 413, 'payload-too-large');
    expect(answer.headers.connection).toBe('close');
  });
});
