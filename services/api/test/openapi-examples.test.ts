import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databases, startTestApp, type TestApp } from './fixtures/test-app.ts';

type Node = Record<string, unknown>;
const isNode = (value: unknown): value is Node => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Beyond this a number is a generator's extreme, not a value from a school. */
const EXTREME = 1e9;
const DOC_ID = 'https://small-steps.test/openapi.json';

/** Every example in the document, with the schema it must satisfy and where it is. */
function examplesOf(doc: Node): { at: string; schema: unknown; value: unknown }[] {
  const found: { at: string; schema: unknown; value: unknown }[] = [];
  const walk = (node: unknown, at: string): void => {
    if (Array.isArray(node)) {
      for (const [i, item] of node.entries()) walk(item, `${at}/${i}`);
      return;
    }
    if (!isNode(node)) return;
    // A media type or a parameter holds its example beside `schema`; a schema holds its own.
    const schema = 'schema' in node ? node.schema : node;
    if ('example' in node) found.push({ at: `${at}/example`, schema, value: node.example });
    if (isNode(node.examples)) {
      for (const [name, example] of Object.entries(node.examples)) {
        if (isNode(example) && 'value' in example)
          found.push({ at: `${at}/examples/${name}`, schema, value: example.value });
      }
    } else if (Array.isArray(node.examples)) {
      for (const [i, value] of node.examples.entries()) found.push({ at: `${at}/examples/${i}`, schema, value });
    }
    for (const [key, value] of Object.entries(node))
      if (key !== 'example' && key !== 'examples') walk(value, `${at}/${key}`);
  };
  walk(doc, '#');
  return found;
}

const extremes = (value: unknown, at = ''): string[] => {
  if (typeof value === 'number') return Math.abs(value) > EXTREME ? [`${at || '/'} = ${value}`] : [];
  if (Array.isArray(value)) return value.flatMap((item, i) => extremes(item, `${at}/${i}`));
  if (isNode(value)) return Object.entries(value).flatMap(([key, item]) => extremes(item, `${at}/${key}`));
  return [];
};

describe('the examples in the OpenAPI document', () => {
  let t: TestApp;
  let doc: Node;
  let ajv: Ajv2020;
  beforeAll(async () => {
    t = await startTestApp(databases[0]!);
    doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats.default(ajv);
    // OpenAPI's integer formats: the bounds beside them are what is checked.
    ajv.addFormat('int32', { type: 'number', validate: () => true });
    ajv.addFormat('int64', { type: 'number', validate: () => true });
    ajv.addSchema({ $id: DOC_ID, components: doc.components });
  });
  afterAll(async () => t?.close());

  const schemaAt = (schema: unknown) =>
    JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', `"${DOC_ID}#/components/`));

  it('are each valid against their schema', () => {
    const examples = examplesOf(doc);
    expect(examples.length).toBeGreaterThan(100);
    const invalid = examples.flatMap(({ at, schema, value }) => {
      const validate = ajv.compile(schemaAt(schema));
      return validate(value) ? [] : [`${at}: ${ajv.errorsText(validate.errors)}`];
    });
    expect(invalid).toEqual([]);
  });

  it('hold no generated extreme (no number beyond ±1e9)', () => {
    const found = examplesOf(doc).flatMap(({ at, value }) => extremes(value).map((e) => `${at}${e}`));
    expect(found).toEqual([]);
  });

  it('are written for every JSON request body and answer, so that no viewer invents one', () => {
    const components = (doc.components as { schemas: Record<string, Node> }).schemas;
    const resolve = (schema: unknown): Node | undefined =>
      isNode(schema) && typeof schema.$ref === 'string'
        ? resolve(components[schema.$ref.split('/').pop()!])
        : isNode(schema)
          ? schema
          : undefined;
    const hasExample = (schema: unknown): boolean => {
      const node = resolve(schema);
      if (!node) return false;
      if ('example' in node || 'examples' in node) return true;
      const parts = (node.anyOf ?? node.oneOf) as unknown[] | undefined;
      return Array.isArray(parts) && parts.every((part) => resolve(part)?.type === 'null' || hasExample(part));
    };
    const missing: string[] = [];
    for (const [path, methods] of Object.entries(doc.paths as Record<string, Record<string, Node>>)) {
      for (const [method, op] of Object.entries(methods)) {
        const bodies: [string, unknown][] = [['request', (op.requestBody as Node | undefined)?.content]];
        for (const [status, answer] of Object.entries((op.responses ?? {}) as Record<string, Node>)) {
          if (status.startsWith('2')) bodies.push([status, answer.content]);
        }
        for (const [which, content] of bodies) {
          for (const [type, media] of Object.entries((content ?? {}) as Record<string, Node>)) {
            if (!type.endsWith('json')) continue;
            if (!('example' in media || 'examples' in media || hasExample(media.schema))) {
              missing.push(`${method.toUpperCase()} ${path} ${which} ${type}`);
            }
          }
        }
      }
    }
    expect(missing).toEqual([]);
  });
});
