/**
 * What every operation does that its route does not say itself, written into the OpenAPI document
 * so that it says what the server does: the problem answers any /v1 route may give (as
 * `application/problem+json`), the headers a command reads (Idempotency-Key, If-Match, Prefer) and
 * the headers answers carry (X-Request-Id, the rate limit, ETag, Location, Retry-After).
 */

interface Operation {
  parameters?: Record<string, unknown>[];
  responses?: Record<string, Response>;
}
interface Response {
  description?: string;
  headers?: Record<string, unknown>;
  content?: Record<string, unknown>;
}
interface Document {
  paths?: Record<string, Record<string, Operation>>;
}

const PROBLEM = { $ref: '#/components/schemas/Problem' };
const problem = (description: string, headers: Record<string, unknown> = {}): Response => ({
  description,
  headers,
  content: { 'application/problem+json': { schema: PROBLEM } },
});

const header = (description: string, schema: Record<string, unknown>) => ({ description, schema });
// Bounds as the server sets them: ids are UUIDs, ETags quoted int32 versions, paths short.
const seconds = { type: 'integer', format: 'int32', minimum: 0, maximum: 86_400 };
const RETRY_AFTER = header('Seconds to wait before trying again.', seconds);
const ANSWER_HEADERS = {
  'X-Request-Id': header('Identifies the request in our logs: quote it when you report a problem.', {
    type: 'string',
    maxLength: 200,
  }),
  'X-RateLimit-Limit': header('Requests allowed per minute for this caller.', {
    type: 'integer',
    format: 'int32',
    minimum: 1,
    maximum: 2_147_483_647,
  }),
  'X-RateLimit-Remaining': header('Requests left in this minute.', {
    type: 'integer',
    format: 'int32',
    minimum: 0,
    maximum: 2_147_483_647,
  }),
  'X-RateLimit-Reset': header('Seconds until the count starts again.', seconds),
};
const ETAG = header('The record’s version; send it back as `If-Match` to make a command conditional.', {
  type: 'string',
  maxLength: 20,
});

const COMMAND_HEADERS = [
  {
    in: 'header',
    name: 'Idempotency-Key',
    description:
      'Any unique value (a UUID): a retry with the same key answers the first response and records nothing twice.',
    schema: { type: 'string', minLength: 1, maxLength: 200 },
  },
  {
    in: 'header',
    name: 'If-Match',
    description:
      'An `ETag` from an earlier answer: the command is carried out only if the record is still at it (else 412).',
    schema: { type: 'string', maxLength: 200, example: '"3"' },
  },
];
const PREFERS = /^\/v1\/plans(\/|$)/;
const PREFERENCE_APPLIED = header('`return=minimal` when the answer is the receipt (RFC 7240).', {
  type: 'string',
  enum: ['return=minimal'],
});
const PREFER = {
  in: 'header',
  name: 'Prefer',
  description:
    '`return=minimal` for a receipt (plan id, version, advisories raised) instead of the whole plan: it comes as `application/vnd.small-steps.plan-receipt+json`, with `Preference-Applied: return=minimal`.',
  schema: { type: 'string', enum: ['return=minimal', 'return=representation'] },
};

/** Adds the conventions to every /v1 operation of `doc`, in place, and returns it. */
export function withConventions<D extends Document>(doc: D): D {
  for (const [path, methods] of Object.entries(doc.paths ?? {})) {
    for (const [method, op] of Object.entries(methods)) {
      // Every request is counted against the rate limit, health probes too (rate-limit.ts).
      if (!path.startsWith('/v1/')) {
        for (const response of Object.values(op.responses ?? {})) {
          response.headers = { ...ANSWER_HEADERS, ...response.headers };
        }
        continue;
      }
      const isCommand = method === 'post';
      op.responses ??= {};
      const responses = op.responses;
      // Problems are sent as application/problem+json, whatever the route's schema said.
      for (const [status, response] of Object.entries(responses)) {
        if (Number(status) >= 400 && response.content?.['application/json']) {
          response.content = { 'application/problem+json': response.content['application/json'] };
        }
      }
      responses['400'] ??= problem('The request is not valid: `errors` points at each field or parameter.');
      responses['401'] ??= problem('No valid bearer token.');
      responses['403'] ??= problem('Your role may not do this.');
      if (path.includes('{'))
        responses['404'] ??= problem('Not in your records (another LA’s record is not found too).');
      if (isCommand) {
        responses['409'] ??= problem('The same Idempotency-Key is still being carried out, or the record moved on.');
        responses['412'] ??= problem('`If-Match` no longer matches the record’s version.');
        responses['413'] ??= problem('The body is over the size limit.');
        responses['422'] ??= problem('The request breaks a rule: `type` ends in the rule id.');
      }
      responses['429'] ??= problem('Too many requests.', { 'Retry-After': RETRY_AFTER });
      responses['503'] ??= problem('The database cannot be reached just now: retry after `Retry-After`.', {
        'Retry-After': RETRY_AFTER,
      });
      for (const [status, response] of Object.entries(responses)) {
        response.headers = { ...ANSWER_HEADERS, ...response.headers };
        if (status === '409' && isCommand) response.headers['Retry-After'] ??= RETRY_AFTER;
        if (isCommand && (status === '200' || status === '201')) response.headers.ETag ??= ETAG;
        if (PREFERS.test(path) && isCommand && (status === '200' || status === '201')) {
          response.headers['Preference-Applied'] ??= PREFERENCE_APPLIED;
        }
        if (status === '201')
          response.headers.Location ??= header('Where the record made can be read.', {
            type: 'string',
            maxLength: 2000,
          });
      }
      if (isCommand) {
        const known = new Set((op.parameters ?? []).map((p) => String(p.name).toLowerCase()));
        const extra = [...COMMAND_HEADERS, ...(PREFERS.test(path) ? [PREFER] : [])];
        op.parameters = [...(op.parameters ?? []), ...extra.filter((p) => !known.has(p.name.toLowerCase()))];
      }
    }
  }
  return doc;
}
