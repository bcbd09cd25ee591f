import { z } from 'zod';

type Json = Record<string, unknown>;
type Parts = { data?: unknown; personal?: unknown };

const isPlainObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isMarkedPersonal = (schema: z.ZodType): boolean => schema.meta()?.['x-personal'] === true;

/** The schema under optional, nullable, default and pipe wrappers, and whether any layer is marked personal. */
function unwrap(schema: z.ZodType): { schema: z.ZodType; isPersonal: boolean } {
  let current = schema;
  let isPersonal = isMarkedPersonal(current);
  for (;;) {
    const next =
      current instanceof z.ZodOptional || current instanceof z.ZodNullable || current instanceof z.ZodDefault
        ? (current.unwrap() as z.ZodType)
        : current instanceof z.ZodPipe
          ? (current.in as z.ZodType)
          : null;
    if (next === null) return { schema: current, isPersonal };
    current = next;
    isPersonal ||= isMarkedPersonal(current);
  }
}

type Splitter = (value: unknown) => Parts;

// Reading a schema's marks (meta() is a registry lookup) and unwrapping it cost more than the split
// itself, and every stored event and written view is split: each schema is read once, here.
const splitters = new WeakMap<z.ZodType, Splitter>();

function splitterOf(schema: z.ZodType): Splitter {
  let splitter = splitters.get(schema);
  if (splitter === undefined) {
    splitter = compileSplitter(schema);
    splitters.set(schema, splitter);
  }
  return splitter;
}

const wholeData: Splitter = (value) => ({ data: value });
const wholePersonal: Splitter = (value) => ({ personal: value });

function compileSplitter(schema: z.ZodType): Splitter {
  const { schema: inner, isPersonal } = unwrap(schema);
  if (isPersonal) return wholePersonal;
  if (inner instanceof z.ZodObject) {
    // Fields are looked up when met, not compiled ahead, so a schema that refers to itself is no loop.
    const shape = inner.shape as Record<string, z.ZodType | undefined>;
    return (value) => {
      if (!isPlainObject(value)) return { data: value };
      const data: Json = {};
      const personal: Json = {};
      let hasPersonal = false;
      for (const key in value) {
        if (!Object.hasOwn(value, key)) continue;
        const field = value[key];
        const fieldSchema = Object.hasOwn(shape, key) ? shape[key] : undefined;
        const part = fieldSchema ? splitterOf(fieldSchema)(field) : { data: field };
        if ('data' in part) data[key] = part.data;
        if ('personal' in part) {
          personal[key] = part.personal;
          hasPersonal = true;
        }
      }
      return hasPersonal ? { data, personal } : { data };
    };
  }
  if (inner instanceof z.ZodArray) {
    const element = inner.element as z.ZodType;
    return (value) => {
      if (!Array.isArray(value)) return { data: value };
      const splitItem = splitterOf(element);
      const parts = value.map((item) => splitItem(item));
      if (!parts.some((part) => 'personal' in part)) return { data: value };
      return { data: parts.map((part) => part.data ?? null), personal: parts.map((part) => part.personal ?? null) };
    };
  }
  return wholeData;
}

/**
 * Splits a payload by its schema's `x-personal` marks: `personal` mirrors the payload's shape with
 * only the personal fields (array items by position, `null` where an item has none), `data` holds
 * the rest; `personal` is null when nothing is personal. Keys the schema does not know stay in `data`.
 */
export function splitPersonal(schema: z.ZodType, payload: Json): { data: Json; personal: Json | null } {
  const parts = splitterOf(schema)(payload);
  return { data: (parts.data ?? {}) as Json, personal: (parts.personal ?? null) as Json | null };
}

function merge(data: unknown, personal: unknown): unknown {
  if (Array.isArray(personal)) {
    const items = Array.isArray(data) ? data : [];
    const length = Math.max(items.length, personal.length);
    return Array.from({ length }, (_, i) => (personal[i] == null ? items[i] : merge(items[i], personal[i])));
  }
  if (isPlainObject(personal)) {
    const merged: Json = isPlainObject(data) ? { ...data } : {};
    for (const [key, value] of Object.entries(personal)) merged[key] = merge(merged[key], value);
    return merged;
  }
  return personal;
}

/** Puts a payload's personal part back beside its data: the inverse of {@link splitPersonal}. */
export const mergePersonal = (data: Json, personal: Json | null): Json =>
  personal === null ? data : (merge(data, personal) as Json);
