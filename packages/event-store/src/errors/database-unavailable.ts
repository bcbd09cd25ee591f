/**
 * The database could not be reached or dropped the connection: an outage to wait out, not a fault
 * in the request. Callers answer 503 with Retry-After and try again later.
 */

// Socket errors from connecting or from a connection that broke.
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
]);

// SQLSTATEs of a server that is away, going away or full: class 08 (connection exception),
// admin/crash shutdown, cannot connect now (starting or recovering), too many connections, and a
// statement cancelled by statement_timeout (a server too busy to answer in time).
const SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300', '57014']);

// node-postgres reports these without a code.
const PG_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error and is not queryable',
  'Connection closed',
];

/** True when `error`, or an error it was caused by, says the database is unreachable. */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (NETWORK_CODES.has(code) || code.startsWith('08') || SQLSTATES.has(code))) {
      return true;
    }
    if (code === undefined && PG_MESSAGES.some((m) => e instanceof Error && e.message.startsWith(m))) return true;
    if (e instanceof AggregateError && e.errors.some(isDatabaseUnavailable)) return true;
  }
  return false;
}

/** Thrown when a store cannot open because its database cannot be reached: one line says where. */
export class DatabaseUnreachable extends Error {
  constructor(where: string, cause: unknown) {
    super(`${where} cannot be reached (${rootMessage(cause)})`, { cause });
    this.name = 'DatabaseUnreachable';
  }
}

/** The first error's own words (a socket's), not those of what wrapped it. */
function rootMessage(error: unknown): string {
  let root = error;
  for (let depth = 0; root instanceof Error && root.cause instanceof Error && depth < 5; depth++) root = root.cause;
  return root instanceof Error ? root.message : String(root);
}

/** Where a connection string points, without its user or password: `PostgreSQL at host:port/db`. */
export function describeServer(connectionString: string): string {
  try {
    const url = new URL(connectionString);
    return `PostgreSQL at ${url.hostname || 'localhost'}:${url.port || '5432'}${url.pathname}`;
  } catch {
    return 'PostgreSQL';
  }
}
