/**
 * Request schemas as typed-client generators read them. openapi-typescript, like others, types a
 * property that has a `default` as always present: right in an answer (the server fills it in),
 * wrong in a request, where it may be left out. Inline request bodies are exempt there, but ours
 * are components (`…Input`), so their defaults are said in words instead, and a body the route
 * accepts absent (a nullable one) is marked not required.
 */

type Schema = Record<string, unknown>;
interface Document {
  paths?: Record<string, Record<string, { requestBody?: { required?: boolean; content?: Record<string, Schema> } }>>;
  components?: { schemas?: Record<string, Schema> };
}

const isSchema = (value: unknown): value is Schema => typeof value === 'object' && value !== null;

/** Moves each optional property's `default` into its description, at any depth of `schema`. */
function sayDefaults(schema: Schema): void {
  const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
  if (isSchema(schema.properties)) {
    for (const [name, property] of Object.entries(schema.properties)) {
      if (!isSchema(property)) continue;
      if ('default' in property && !required.has(name)) {
        const said = `When left out: \`${JSON.stringify(property.default)}\`.`;
        property.description = typeof property.description === 'string' ? `${property.description} ${said}` : said;
        delete property.default;
      }
      sayDefaults(property);
    }
  }
  for (const key of ['items', 'additionalProperties'] as const) if (isSchema(schema[key])) sayDefaults(schema[key]);
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
    if (Array.isArray(schema[key])) for (const part of schema[key]) if (isSchema(part)) sayDefaults(part);
  }
}

const acceptsNull = (schema: unknown): boolean =>
  isSchema(schema) &&
  Array.isArray(schema.anyOf) &&
  schema.anyOf.some((part) => isSchema(part) && part.type === 'null');

/** Rewrites `doc`'s request schemas in place, as above, and returns it. */
export function withRequestSchemasForGenerators<D extends object>(input: D): D {
  const doc = input as Document;
  for (const [name, schema] of Object.entries(doc.components?.schemas ?? {})) {
    if (name.endsWith('Input')) sayDefaults(schema);
  }
  for (const methods of Object.values(doc.paths ?? {})) {
    for (const op of Object.values(methods)) {
      const body = op.requestBody;
      if (body?.required && acceptsNull(body.content?.['application/json']?.schema)) body.required = false;
    }
  }
  return input;
}
