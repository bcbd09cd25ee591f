import { isPersonalFieldName } from '@small-steps/contracts';
import type { FastifyServerOptions } from 'fastify';

const REDACTED = '[redacted]';

function redact(value: unknown, depth: number): unknown {
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  if (value instanceof Error) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) out[key] = isPersonalFieldName(key) ? REDACTED : redact(v, depth + 1);
  return out;
}

// Query strings may carry identifiers a caller searched by; the path holds only opaque ids.
const withoutQuery = (url: string | undefined) => (url ?? '').split('?')[0];

/** pino options: JSON lines, request ids, and no personal data (DESIGN.md "Logs"). */
export function loggerOptions(level: string): Exclude<FastifyServerOptions['logger'], boolean | undefined> {
  return {
    level,
    formatters: { log: (object) => redact(object, 0) as Record<string, unknown> },
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie'], censor: REDACTED },
    serializers: {
      req: (req: { method: string; url: string; id: string }) => ({
        method: req.method,
        url: withoutQuery(req.url),
        id: req.id,
      }),
    },
  };
}
