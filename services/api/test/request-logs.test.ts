import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loggerOptions } from '../src/logging.ts';
import { databases, officer, startTestApp, type TestApp } from './fixtures/test-app.ts';

// Personal values a caller sends, in a body, a path or a query string: none may reach a log line.
const pupil = {
  upn: 'H801200001001',
  givenName: 'Philippa',
  familyName: 'Quennell',
  dateOfBirth: '2017-03-14',
  yearGroup: '3',
  senProvision: 'E',
  needs: [{ need: 'SEMH', rank: 1 }],
  schoolUrn: '100001',
  admissionDate: '2025-09-03',
};
const personalValues = [pupil.upn, pupil.givenName, pupil.familyName, pupil.dateOfBirth, 'Ellowen'];

interface LogLine {
  msg: string;
  reqId?: string;
  req?: { method?: string; route?: string };
  res?: { statusCode?: number };
  responseTime?: number;
  [key: string]: unknown;
}

describe('request logs', () => {
  let t: TestApp;
  let auth: { authorization: string };
  const lines = () => t.logs.flatMap((chunk) => chunk.split('\n').filter(Boolean)).map((l) => JSON.parse(l) as LogLine);
  const linesOf = (requestId: unknown) => lines().filter((l) => l.reqId === requestId);

  beforeAll(async () => {
    t = await startTestApp(databases[0]!);
    auth = { authorization: `Bearer ${await t.token(officer)}` };
  });
  afterAll(async () => t?.close());

  it('names the method, route pattern, status, response time and request id of each request', async () => {
    const created = await t.app.inject({ method: 'POST', url: '/v1/pupils', headers: auth, payload: pupil });
    expect(created.statusCode).toBe(201);
    const { pupilId } = created.json();
    const read = await t.app.inject({ method: 'GET', url: `/v1/pupils/${pupilId}`, headers: auth });
    expect(read.statusCode).toBe(200);
    const anonymous = await t.app.inject({ method: 'GET', url: '/v1/plans' });
    expect(anonymous.statusCode).toBe(401);
    const unknown = await t.app.inject({ method: 'GET', url: '/v1/nothing-here', headers: auth });
    expect(unknown.statusCode).toBe(404);
    const tooLong = await t.app.inject({ method: 'GET', url: `/v1/plans/${'a'.repeat(101)}`, headers: auth });
    expect(tooLong.statusCode).toBe(414);

    const expected: [typeof created, string, string, number][] = [
      [created, 'POST', '/v1/pupils', 201],
      [read, 'GET', '/v1/pupils/:pupilId', 200],
      [anonymous, 'GET', '/v1/plans', 401],
      [unknown, 'GET', '(unmatched)', 404],
      [tooLong, 'GET', '(unmatched)', 414],
    ];
    for (const [res, method, route, statusCode] of expected) {
      const own = linesOf(res.headers['x-request-id']);
      expect(own.find((l) => l.msg === 'incoming request')).toMatchObject({ req: { method, route } });
      const completed = own.find((l) => l.msg === 'request completed');
      expect(completed).toMatchObject({ req: { method, route }, res: { statusCode } });
      expect(completed?.responseTime).toBeTypeOf('number');
    }
    // The route pattern, not the concrete path.
    expect(
      linesOf(read.headers['x-request-id'])
        .map((l) => JSON.stringify(l))
        .join('\n'),
    ).not.toContain(pupilId);
  });

  it('logs no personal value sent in a body, a path or a query string', async () => {
    const answers = [
      await t.app.inject({
        method: 'POST',
        url: '/v1/pupils',
        headers: auth,
        payload: { ...pupil, upn: 'H801200001002' },
      }),
      // Invalid: the values come back in no log line either.
      await t.app.inject({ method: 'POST', url: '/v1/pupils', headers: auth, payload: { ...pupil, yearGroup: '15' } }),
      await t.app.inject({ method: 'GET', url: `/v1/pupils?schoolUrn=100001&upn=${pupil.upn}`, headers: auth }),
      await t.app.inject({ method: 'GET', url: `/v1/plans?status=open&name=${pupil.givenName}`, headers: auth }),
      await t.app.inject({ method: 'GET', url: `/v1/pupils/${pupil.upn}`, headers: auth }),
      await t.app.inject({ method: 'GET', url: `/v1/${pupil.familyName}/${pupil.dateOfBirth}?upn=${pupil.upn}` }),
    ];
    for (const answer of answers) expect(linesOf(answer.headers['x-request-id']).length).toBeGreaterThan(1);
    const text = t.logs.join('');
    if (process.env.SHOW_LOGS) console.log(text);
    for (const value of personalValues) expect(text).not.toContain(value);
  });

  it('redacts personal fields by name, keeping the rest of the object', async () => {
    const stream = new PassThrough();
    const written: string[] = [];
    stream.on('data', (chunk) => written.push(String(chunk)));
    const { pino } = await import('pino');
    const log = pino(loggerOptions('info') as object, stream);
    log.info({ pupil: { givenName: 'Ellowen', yearGroup: '3', needs: [{ reason: 'Ellowen', rank: 1 }] } }, 'x');
    await new Promise((resolve) => setImmediate(resolve));
    expect(JSON.parse(written.join(''))).toMatchObject({
      pupil: { givenName: '[redacted]', yearGroup: '3', needs: [{ reason: '[redacted]', rank: 1 }] },
    });
  });
});
