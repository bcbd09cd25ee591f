import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../src/auth/principal.ts';
import { databases, startTestApp, type TestApp } from './fixtures/test-app.ts';

interface Parameter {
  name: string;
  in: string;
  schema?: { enum?: string[]; format?: string; pattern?: string; type?: string };
}

const roles: Principal[] = [
  { id: 'officer-1', role: 'la_officer', tenant: '801' },
  { id: 'system-1', role: 'la_system', tenant: '801' },
  { id: 'staff-1', role: 'school_staff', tenant: '801', schoolUrn: '100001' },
  { id: 'analyst-1', role: 'analyst', tenant: '801' },
  { id: 'auditor-1', role: 'auditor', tenant: '801' },
  { id: 'admin-1', role: 'admin', tenant: '801' },
];

/** A value a path parameter accepts, from its schema: the query is checked only once the path is valid. */
function valueFor(parameter: Parameter): string {
  const schema = parameter.schema ?? {};
  if (schema.enum) return schema.enum[0]!;
  if (schema.type === 'integer' || schema.type === 'number') return '1';
  if (schema.format === 'uuid' || /Id$/.test(parameter.name)) {
    return /^(stepId|goalId|barrierId|provisionId)$/.test(parameter.name) ? 'item-1' : randomUUID();
  }
  if (parameter.name === 'urn' || parameter.name === 'schoolUrn') return '100001';
  return 'x1';
}

describe('unknown query parameters', () => {
  let t: TestApp;
  let doc: { paths: Record<string, Record<string, { parameters?: Parameter[] }>> };
  const tokens = new Map<Principal, string>();
  beforeAll(async () => {
    t = await startTestApp(databases[0]!);
    doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    for (const principal of roles) tokens.set(principal, await t.token(principal));
  });
  afterAll(async () => t?.close());

  it('are refused with a 400 naming them on every read route, for a role that may read it', async () => {
    const reads = Object.entries(doc.paths)
      .filter(([path, methods]) => path.startsWith('/v1/') && 'get' in methods)
      .map(([path, methods]) => ({ path, parameters: methods.get!.parameters ?? [] }));
    expect(reads.length).toBeGreaterThan(8);
    for (const { path, parameters } of reads) {
      const url = path.replace(/\{(\w+)\}/g, (_, name: string) =>
        valueFor(parameters.find((p) => p.in === 'path' && p.name === name) ?? { name, in: 'path' }),
      );
      const answers: number[] = [];
      for (const principal of roles) {
        const res = await t.app.inject({
          method: 'GET',
          url: `${url}${url.includes('?') ? '&' : '?'}updated_after=2026-01-01`,
          headers: { authorization: `Bearer ${tokens.get(principal)}` },
        });
        answers.push(res.statusCode);
        if (res.statusCode !== 400) continue;
        expect(res.json().errors, path).toContainEqual({
          pointer: '/querystring/updated_after',
          detail: 'is not a query parameter of this route',
          code: 'unrecognized_keys',
        });
        break;
      }
      expect(answers.at(-1), `GET ${path} answered ${answers.join(', ')}`).toBe(400);
    }
  });

  it('are refused where a filter of that name is missing, and known filters still filter', async () => {
    const auth = { authorization: `Bearer ${tokens.get(roles[0]!)}` };
    const refused = await t.app.inject({ method: 'GET', url: '/v1/plans?updated_after=2026-01-01', headers: auth });
    expect(refused.statusCode).toBe(400);
    const known = await t.app.inject({ method: 'GET', url: '/v1/plans?status=active&limit=5', headers: auth });
    expect(known.statusCode).toBe(200);
  });
});
