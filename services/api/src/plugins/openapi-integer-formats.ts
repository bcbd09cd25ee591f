/**
 * Each integer's `format`, said from its bounds: `int32` when they fit in one, else `int64`.
 * Generators (.NET, Java, openapi-typescript's docs) choose the integer type from `format`; the
 * bounds come from the contracts, so deriving it here means the two can never disagree.
 */

const INT32_MIN = -2_147_483_648;
const INT32_MAX = 2_147_483_647;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;
const isInteger = (schema: Record<string, unknown>): boolean =>
  schema.type === 'integer' || (Array.isArray(schema.type) && schema.type.includes('integer'));

function sayFormats(node: unknown, key: string): void {
  if (Array.isArray(node)) {
    for (const item of node) sayFormats(item, '');
    return;
  }
  // Examples are values, not schemas.
  if (!isObject(node) || key === 'example' || key === 'examples') return;
  if (isInteger(node) && node.format === undefined) {
    const min = typeof node.minimum === 'number' ? node.minimum : -Infinity;
    const max = typeof node.maximum === 'number' ? node.maximum : Infinity;
    node.format = min >= INT32_MIN && max <= INT32_MAX ? 'int32' : 'int64';
  }
  for (const [name, value] of Object.entries(node)) sayFormats(value, name);
}

/** Writes the formats into `doc` in place and returns it. */
export function withIntegerFormats<D extends object>(doc: D): D {
  sayFormats(doc, '');
  return doc;
}
