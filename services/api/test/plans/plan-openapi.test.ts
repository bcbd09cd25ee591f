import { planEventTypes } from '@small-steps/domain';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, startTestApp, type TestApp } from '../fixtures/test-app.ts';

interface Operation {
  summary?: string;
  description?: string;
  tags?: string[];
  requestBody?: unknown;
  responses: Record<string, unknown>;
}

describeEachDatabase('plan routes in the OpenAPI document', (factory) => {
  let t: TestApp;
  let doc: {
    paths: Record<string, Record<string, Operation>>;
    components: {
      schemas: Record<string, { example?: unknown; properties?: Record<string, Record<string, unknown>> }>;
    };
  };
  beforeAll(async () => {
    t = await startTestApp(factory);
    doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
  });
  afterAll(async () => t?.close());

  const planOperations = () =>
    Object.entries(doc.paths)
      .filter(([path]) => path.startsWith('/v1/plans'))
      .flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ path, method, op })))
      // Verification of a plan's chain is an audit route, documented with the others of its kind.
      .filter(({ op }) => !op.tags?.includes('audit'));

  it('types what a request may leave out as optional for client generators: defaults in words, a bodiless command', () => {
    const view = doc.components.schemas.RecordViewBodyInput!;
    expect(view.properties?.participantId).not.toHaveProperty('default');
    expect(view.properties?.participantId?.description).toMatch(/When left out: `null`\.$/);
    expect((view as { required?: string[] }).required).not.toContain('participantId');
    const start = doc.paths['/v1/plans/{planId}/steps/{stepId}/start']!.post as Operation & {
      requestBody: { required: boolean };
    };
    expect(start.requestBody.required).toBe(false);
  });

  it('declares the conditional read: If-None-Match, the ETag of the 200, and the 304', () => {
    const read = doc.paths['/v1/plans/{planId}']!.get as Operation & { parameters: { name: string }[] };
    expect(read.parameters.map((p) => p.name)).toContain('If-None-Match');
    expect(read.responses['200']).toMatchObject({ headers: { ETag: expect.any(Object) } });
    expect(read.responses['304']).toMatchObject({ description: expect.stringMatching(/^Not modified/) });
    expect(read.responses['304']).not.toHaveProperty('content');
  });

  it('describes each plan route with a summary, its tag and problem responses', () => {
    const operations = planOperations();
    expect(operations.length).toBe(42);
    for (const { path, method, op } of operations) {
      expect(op.summary, `${method} ${path}`).toBeTruthy();
      expect(op.tags, `${method} ${path}`).toEqual(['plans']);
      expect(Object.keys(op.responses), `${method} ${path}`).toEqual(expect.arrayContaining(['401', '403', '404']));
    }
  });

  it('gives every command a body schema and names the rules that may refuse it', () => {
    const commands = planOperations().filter(({ method }) => method === 'post');
    expect(commands.length).toBe(36);
    for (const { path, op } of commands) {
      expect(op.requestBody, path).toBeDefined();
      expect(op.responses['422'], path).toBeDefined();
    }
    const start = doc.paths['/v1/plans/{planId}/steps/{stepId}/start']!.post!;
    expect(start.description).toContain('`no-skipping`');
  });

  it('shows every event payload, version 1, with an example', () => {
    for (const type of planEventTypes) {
      expect(doc.components.schemas[`${type}V1`]?.example, type).toBeDefined();
    }
  });

  it('marks personal fields x-personal', () => {
    const view = doc.components.schemas.RecordViewBody!.properties!;
    expect(view.worries?.['x-personal']).toBe(true);
    expect(view.role?.['x-personal']).toBeUndefined();
  });
});
