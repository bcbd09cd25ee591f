import { isPersonalFieldName } from '@small-steps/contracts';
import { type FastifyReply, type FastifyRequest, type FastifyServerOptions, LogController } from 'fastify';

const REDACTED = '[redacted]';

/** The route of a request that matched none (an unknown path, or one the router refused). */
export const UNMATCHED_ROUTE = '(unmatched)';

/**
 * A request as its log lines show it: the method and the route pattern (`/v1/plans/:planId`). Never
 * the URL: a path parameter or a query string can carry what a caller typed in (a UPN, a name), and
 * the request id (`reqId`, on every line) is what finds a request again.
 */
function requestSummary(value: unknown): { method: string | undefined; route: string } {
  const request = (value ?? {}) as { method?: unknown; routeOptions?: { url?: unknown } };
  const route = request.routeOptions?.url;
  return {
    method: typeof request.method === 'string' ? request.method : undefined,
    route: typeof route === 'string' ? route : UNMATCHED_ROUTE,
  };
}

/** A reply as its log lines show it: the status code, nothing of the body or headers. */
function replySummary(value: unknown): { statusCode: number | undefined } {
  const { statusCode } = (value ?? {}) as { statusCode?: unknown };
  return { statusCode: typeof statusCode === 'number' ? statusCode : undefined };
}

// pino applies these after `formatters.log`, to the objects themselves: Fastify's request and reply
// keep `method`, `routeOptions` and `statusCode` on their prototypes, which a copy would lose.
const serializers = { req: requestSummary, res: replySummary };
const serialized = new Set([...Object.keys(serializers), 'err']);

function redact(value: unknown, depth: number): unknown {
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  if (value instanceof Error) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) out[key] = isPersonalFieldName(key) ? REDACTED : redact(v, depth + 1);
  return out;
}

/** Every personal field redacted by name, at any depth; `req`, `res` and `err` go to their serializers whole. */
function redactLogObject(object: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(object)) {
    out[key] = isPersonalFieldName(key) ? REDACTED : serialized.has(key) ? value : redact(value, 1);
  }
  return out;
}

/** pino options: JSON lines, request ids, and no personal data (docs/architecture.md "Logs"). */
export function loggerOptions(level: string): Exclude<FastifyServerOptions['logger'], boolean | undefined> {
  return {
    level,
    formatters: { log: redactLogObject },
    serializers,
  };
}

/**
 * Fastify's lines about each request. "incoming request" names the request; "request completed"
 * names it again with its status code and response time, so that one line tells what was asked,
 * how it was answered and how long it took.
 */
export class RequestLogController extends LogController {
  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (this.isLogDisabled(request)) return;
    const line = { req: request, res: reply, responseTime: reply.elapsedTime };
    if (error) reply.log.error({ ...line, err: error }, 'request errored');
    else reply.log.info(line, 'request completed');
  }

  // Fastify's own line quotes the raw URL, query string and all.
  override routeNotFound(request: FastifyRequest): void {
    if (this.isLogDisabled(request)) return;
    request.log.info({ req: request }, 'route not found');
  }
}
