import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databases, officer, startTestApp, type TestApp } from './fixtures/test-app.ts';

describe('error handler', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(databases[0]!, {}, (app) => {
      app.get('/v1/boom', async () => {
        throw new Error('secret internals: connection string postgres://user:pw@db');
      });
    });
  });
  afterAll(async () => t?.close());

  it('answers an unexpected failure with a bare 500 naming the request id, and logs it', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/v1/boom',
      headers: { authorization: `Bearer ${await t.token(officer)}` },
    });
    expect(res.statusCode).toBe(500);
    const problem = res.json();
    expect(problem).toEqual({
      type: 'https://small-steps.org.uk/problems/internal',
      title: 'Internal error',
      status: 500,
      detail: `Something went wrong on our side. Quote ${res.headers['x-request-id']} if you report it.`,
      instance: res.headers['x-request-id'],
    });
    expect(t.logs.join('')).toContain('secret internals');
  });
});
