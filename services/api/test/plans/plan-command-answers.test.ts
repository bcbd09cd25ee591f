import { PLAN_RECEIPT_MEDIA_TYPE } from '@small-steps/contracts';
import openapiTS, { astToString } from 'openapi-typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databases, startTestApp, type TestApp } from '../fixtures/test-app.ts';

interface Response {
  headers?: Record<string, unknown>;
  content?: Record<string, { schema: unknown }>;
}
type Document = { paths: Record<string, Record<string, { responses: Record<string, Response> }>> };

// A generated client reads the plan's `status` from a command's answer without narrowing a union:
// the plan and the `return=minimal` receipt are told apart by media type.
describe('plan command answers in the OpenAPI document', () => {
  let t: TestApp;
  let doc: Document;
  beforeAll(async () => {
    t = await startTestApp(databases[0]!);
    doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
  });
  afterAll(async () => t?.close());

  const commandAnswers = () =>
    Object.entries(doc.paths)
      .filter(([path]) => path.startsWith('/v1/plans'))
      .flatMap(([path, methods]) =>
        Object.entries(methods.post?.responses ?? {})
          .filter(([status]) => status === '200' || status === '201')
          .map(([status, response]) => ({ at: `POST ${path} ${status}`, response })),
      );

  it('declares the plan as application/json and the receipt under its own media type, on every plan command', () => {
    const answers = commandAnswers();
    expect(answers.length).toBeGreaterThan(30);
    for (const { at, response } of answers) {
      expect({ at, content: response.content }).toEqual({
        at,
        content: {
          'application/json': { schema: { $ref: '#/components/schemas/PlanCommandResponse' } },
          [PLAN_RECEIPT_MEDIA_TYPE]: { schema: { $ref: '#/components/schemas/PlanCommandReceipt' } },
        },
      });
      expect(response.headers).toHaveProperty('Preference-Applied');
    }
  });

  it('gives openapi-typescript one type per media type, the plan with its status', async () => {
    const types = astToString(await openapiTS(JSON.stringify(doc)));
    const attempts = types.slice(types.indexOf('recordAttempt: {'));
    const answer = attempts.slice(attempts.indexOf('200: {'), attempts.indexOf('400: {'));
    expect(answer).toContain('"application/json": components["schemas"]["PlanCommandResponse"];');
    expect(answer).toContain(`"${PLAN_RECEIPT_MEDIA_TYPE}": components["schemas"]["PlanCommandReceipt"];`);
    const plan = types.slice(types.indexOf('PlanCommandResponse: {'));
    expect(plan.slice(0, plan.indexOf('\n    };'))).toMatch(/\n\s+status: components\["schemas"\]\["PlanStatus"\];/);
  });
});
