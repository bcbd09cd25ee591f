// What PGliteThread and its worker say to each other. Everything crosses by structured clone:
// parameters and rows keep their bigints, dates and bytes; an error crosses as its fields.

/** What the thread is started with (workerData). */
export interface ThreadStart {
  /** The data folder, or undefined for a database in the thread's memory. */
  dataDir: string | undefined;
}

/** The query options that can cross to the thread (no functions: parsers are the thread's own). */
export interface ThreadQueryOptions {
  rowMode?: 'array' | 'object';
  paramTypes?: number[];
}

export type ToThread = { id: number } & (
  | { kind: 'query'; sql: string; params: unknown[] | undefined; options: ThreadQueryOptions; tx?: number }
  | { kind: 'begin' }
  | { kind: 'end'; tx: number; commit: boolean }
  | { kind: 'listen'; channel: string }
  | { kind: 'unlisten'; channel: string }
  | { kind: 'close' }
);

export type FromThread =
  | { kind: 'ready' }
  | { kind: 'failed'; error: ErrorFields }
  | { kind: 'result'; id: number; result: unknown }
  | { kind: 'error'; id: number; error: ErrorFields }
  | { kind: 'notify'; channel: string; payload: string };

/** An error as it crosses: its name, message and PostgreSQL's fields (code, constraint, table …). */
export interface ErrorFields {
  name: string;
  message: string;
  fields: Record<string, string | number>;
}

// PGlite adds the query's parameters to its errors: they may hold personal data and stay behind.
const LEFT_BEHIND = new Set(['stack', 'message', 'name', 'params', 'queryOptions']);

export function errorFields(error: unknown): ErrorFields {
  if (typeof error !== 'object' || error === null) return { name: 'Error', message: String(error), fields: {} };
  const fields: Record<string, string | number> = {};
  for (const [key, value] of Object.entries(error)) {
    if (LEFT_BEHIND.has(key)) continue;
    if (typeof value === 'string' || typeof value === 'number') fields[key] = value;
  }
  const { name, message } = error as { name?: unknown; message?: unknown };
  const named = typeof name === 'string' ? name : 'Error';
  // PGlite's file system throws objects that are not Errors and have no message (ErrnoError).
  return { name: named, message: typeof message === 'string' ? message : `${named} ${JSON.stringify(fields)}`, fields };
}

/** The error again, on this side: the same name, message and fields, this side's stack. */
export function errorFrom({ name, message, fields }: ErrorFields): Error {
  const error = Object.assign(new Error(message), fields);
  error.name = name;
  return error;
}
