import { execFile } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import openapiTS, { astToString } from 'openapi-typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databases, officer, startTestApp, type TestApp } from '../fixtures/test-app.ts';

const run = promisify(execFile);
const apiFolder = join(import.meta.dirname, '../..');
// Outside src/ and test/ (the project's own typecheck must not see it) and outside node_modules
// (where Node will not strip types), so the script resolves openapi-fetch as an integrator's would.
const out = join(apiFolder, '.generated-client');

/**
 * What an integrator writes against a client generated from /openapi.json: the getting-started
 * journey, typed end to end. It must type-check under `strict` with no casts, read `status` from a
 * command's answer without narrowing, and get the progress picture as SVG text.
 */
const SCRIPT = `import createClient from 'openapi-fetch';
import type { paths } from './schema.ts';

const [baseUrl, token] = process.argv.slice(2) as [string, string];
// JSON answers: a command's is the whole plan (the return=minimal receipt has a media type of its own).
const api = createClient<paths, 'application/json'>({ baseUrl, headers: { authorization: \`Bearer \${token}\` } });
const fail = (what: string, error: unknown): never => {
  throw new Error(\`\${what}: \${JSON.stringify(error)}\`);
};

const registered = await api.POST('/v1/pupils', {
  body: {
    upn: 'H801200001001',
    givenName: 'Sam',
    familyName: 'Taylor',
    dateOfBirth: '2018-03-14',
    yearGroup: '3',
    senProvision: 'E',
    needs: [{ need: 'SEMH', rank: 1 }],
    schoolUrn: '100001',
    admissionDate: '2025-09-03',
  },
});
const pupilId: string = registered.data?.pupilId ?? fail('register', registered.error);

const opened = await api.POST('/v1/plans', {
  body: { pupilId, keyAdult: { id: 'person-key-adult', name: 'Ms Patel' }, presentingConcern: 'Has not attended since the summer.' },
});
const planId: string = opened.data?.planId ?? fail('open', opened.error);
const plan = { params: { path: { planId } } };

for (const role of ['pupil', 'parent_carer'] as const) {
  const { error } = await api.POST('/v1/plans/{planId}/views', {
    ...plan,
    body: { role, worries: 'Mornings are hard.', whatHelps: 'A calm start.', hopes: 'To see my friends.' },
  });
  if (error) fail('views', error);
}
for (const area of ['shared_narrative', 'rapport', 'preferred_future', 'risk_and_protective_factors', 'underpinning_factors'] as const) {
  const { error } = await api.POST('/v1/plans/{planId}/groundwork/{area}', {
    params: { path: { planId, area } },
    body: { summary: 'Discussed with the family.' },
  });
  if (error) fail('groundwork', error);
}
const participants = [
  { id: 'person-pupil', role: 'pupil' as const },
  { id: 'person-parent', role: 'parent_carer' as const, name: 'Ms Reid' },
  { id: 'person-senco', role: 'senco' as const, name: 'Mrs Okafor' },
];
const goal = await api.POST('/v1/plans/{planId}/goals', {
  ...plan,
  body: { goalId: 'goal-1', pupilWords: 'A full day at school.', participants },
});
if (goal.error) fail('goal', goal.error);
const ladder = await api.POST('/v1/plans/{planId}/goals/{goalId}/steps', {
  params: { path: { planId, goalId: 'goal-1' } },
  body: {
    steps: [
      {
        stepId: 'step-1',
        description: 'Walk to the school gate with Ms Patel',
        where: 'School gate',
        withWhom: 'Ms Patel',
        supports: ['Headphones'],
        minutes: 15,
        timesPerWeek: 5,
        dependsOn: [],
        predictedAnxiety: 3,
      },
    ],
    participants,
  },
});
if (ladder.error) fail('ladder', ladder.error);
const started = await api.POST('/v1/plans/{planId}/steps/{stepId}/start', { params: { path: { planId, stepId: 'step-1' } } });
if (started.error) fail('start', started.error);
const attempt = await api.POST('/v1/plans/{planId}/steps/{stepId}/attempts', {
  params: { path: { planId, stepId: 'step-1' } },
  body: { outcome: 'completed', anxietyBefore: 6, anxietyAfter: 3, minutes: 15, pupilWords: 'It was easier than I thought.' },
});
// The whole plan, typed as one: its status read with no narrowing.
const status: string = attempt.data?.status ?? fail('attempt', attempt.error);

// A system recording many facts asks for the receipt, typed as its own media type.
const receipts = createClient<paths, 'application/vnd.small-steps.plan-receipt+json'>({
  baseUrl,
  headers: { authorization: \`Bearer \${token}\` },
});
const recorded = await receipts.POST('/v1/plans/{planId}/steps/{stepId}/attempts', {
  params: { path: { planId, stepId: 'step-1' }, header: { Prefer: 'return=minimal' } },
  body: { outcome: 'partly', anxietyBefore: 5, anxietyAfter: 4, minutes: 10, pupilWords: null },
});
const attempts: number = recorded.data?.version ?? fail('receipt', recorded.error);

const picture = await api.GET('/v1/pupils/{pupilId}/progress.svg', { params: { path: { pupilId } }, parseAs: 'text' });
const svg: string = picture.data ?? fail('picture', picture.error);
console.log(JSON.stringify({ status, version: attempts, svg: svg.includes('<svg') }));
`;

const TSCONFIG = {
  compilerOptions: {
    strict: true,
    target: 'es2024',
    module: 'nodenext',
    moduleResolution: 'nodenext',
    allowImportingTsExtensions: true,
    noEmit: true,
    skipLibCheck: true,
    types: ['node'],
  },
  include: ['*.ts'],
};

describe('a client generated from /openapi.json with openapi-typescript', () => {
  let t: TestApp;
  let baseUrl: string;
  beforeAll(async () => {
    t = await startTestApp(databases[0]!);
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    baseUrl = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    await rm(out, { recursive: true, force: true });
    await mkdir(out, { recursive: true });
    await writeFile(join(out, 'schema.ts'), astToString(await openapiTS(doc)));
    await writeFile(join(out, 'journey.ts'), SCRIPT);
    await writeFile(join(out, 'tsconfig.json'), JSON.stringify(TSCONFIG, null, 2));
    await writeFile(join(out, 'package.json'), JSON.stringify({ type: 'module', private: true }));
  });
  afterAll(async () => {
    await t?.close();
    await rm(out, { recursive: true, force: true });
  });

  it('type-checks the getting-started journey written against it', async () => {
    const tsc = join(apiFolder, 'node_modules/.bin/tsc');
    const checked = await run(tsc, ['-p', out]).then(
      () => '',
      (error: { stdout: string }) => error.stdout,
    );
    expect(checked).toBe('');
  });

  it('runs that journey against the service, ending at a recorded attempt and the progress picture', async () => {
    const token = await t.token(officer);
    const { stdout } = await run(process.execPath, [join(out, 'journey.ts'), baseUrl, token]);
    expect(JSON.parse(stdout)).toEqual({ status: 'active', version: expect.any(Number), svg: true });
  });
});
