import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GETTING_STARTED_SCRIPT } from '../src/plugins/getting-started.ts';
import { databases, officer, startTestApp, type TestApp } from './fixtures/test-app.ts';

const run = promisify(execFile);

describe('the getting-started page of the docs', () => {
  let t: TestApp;
  let base: string;
  beforeAll(async () => {
    t = await startTestApp(databases[0]!);
    base = await t.app.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => t?.close());

  it('takes an empty LA to a recorded attempt when its shell lines are run as printed', async () => {
    expect(GETTING_STARTED_SCRIPT).toMatch(/^BASE=http:\/\/localhost:3000\nTOKEN=paste-the-la_officer-token-here\n/);
    // Only the two lines a reader fills in are changed: where the service is and the token it printed.
    const script = GETTING_STARTED_SCRIPT.replace(
      /^BASE=.*\nTOKEN=.*\n/,
      `BASE=${base}\nTOKEN=${await t.token(officer)}\n`,
    );
    const { stdout } = await run('bash', ['-euo', 'pipefail', '-c', script]);
    const plan = JSON.parse(stdout);
    expect(plan).toMatchObject({ status: 'active', version: expect.any(Number) });
    expect(plan.goals[0].ladder[0]).toMatchObject({
      state: 'practising',
      attemptCount: 1,
      attempts: [{ outcome: 'completed', anxietyBefore: 6, anxietyAfter: 3 }],
    });
  });

  it('opens the API reference', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(doc.info.description).toMatch(/^Stepped support plans[^\n]*\n\n## Getting started\n/);
    expect(doc.info.description).toContain(GETTING_STARTED_SCRIPT);
  });
});
