import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import {
  type Problem,
  type ProblemTypeId,
  problemTypes,
  problemTypeUri,
  RULE_BROKEN_TITLE,
} from '@small-steps/contracts';
import { isDatabaseUnavailable } from '@small-steps/event-store';
import { InvalidCursor } from '@small-steps/projections';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { OutageLog } from './outage-log.ts';

type FieldError = NonNullable<Problem['errors']>[number];

/**
 * Taken from the CommonJS module: an ESM import of `node:http` builds its export facade by reading
 * every export, and one of them loads Node's fetch client (undici): 35–50 ms of every start.
 */
const { STATUS_CODES } = process.getBuiltinModule('node:http');

/** An error that renders as a catalogued problem. */
export class HttpProblem extends Error {
  readonly problemType: ProblemTypeId;
  readonly detail: string;
  readonly extras: { errors?: FieldError[]; headers?: Record<string, string> };

  constructor(problemType: ProblemTypeId, detail: string, extras: HttpProblem['extras'] = {}) {
    super(detail);
    this.name = 'HttpProblem';
    this.problemType = problemType;
    this.detail = detail;
    this.extras = extras;
  }
}

/** A broken domain rule: 422 with the rule id in `type` and the guidance in `detail`. */
export class RuleBroken extends Error {
  readonly rule: string;
  readonly reason: string;
  readonly errors: FieldError[] | undefined;

  constructor(rule: string, reason: string, errors?: FieldError[]) {
    super(reason);
    this.name = 'RuleBroken';
    this.rule = rule;
    this.reason = reason;
    this.errors = errors;
  }
}

const fromCatalog = (id: ProblemTypeId, detail: string, instance: string): Problem => {
  const entry = problemTypes.get(id)!;
  return { type: problemTypeUri(id), title: entry.title, status: entry.status, detail, instance };
};

// Fastify's own client errors, by code: anything a caller sent maps to a 4xx, never a 500.
const fastifyCodes: Record<string, ProblemTypeId> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'malformed-json',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'malformed-json',
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload-too-large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported-media-type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'validation',
  FST_ERR_CTP_INVALID_TYPE: 'unsupported-media-type',
  FST_ERR_BAD_URL: 'malformed-request',
  FST_ERR_MAX_PARAM_LENGTH: 'uri-too-long',
};

/** The router's limit on a path parameter: the longest id is 100 characters (the uri-too-long doc says so). */
export const MAX_PARAM_LENGTH = 100;

// Where Fastify's own message would quote the whole URL back, a plainer one.
const fastifyDetails: Record<string, string> = {
  FST_ERR_BAD_URL: 'The URL is not validly percent-encoded.',
  FST_ERR_MAX_PARAM_LENGTH: `A path parameter is longer than ${MAX_PARAM_LENGTH} characters, which no id is.`,
};

const statusCodes: Record<number, ProblemTypeId> = {
  400: 'validation',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not-found',
  405: 'method-not-allowed',
  408: 'request-timeout',
  409: 'version-conflict',
  412: 'precondition-failed',
  413: 'payload-too-large',
  414: 'uri-too-long',
  415: 'unsupported-media-type',
  429: 'rate-limited',
  431: 'headers-too-large',
};

export function toProblem(
  error: unknown,
  request: FastifyRequest,
): { problem: Problem; headers?: Record<string, string> } {
  const instance = request.id;
  if (error instanceof HttpProblem) {
    const problem = fromCatalog(error.problemType, error.detail, instance);
    if (error.extras.errors) problem.errors = error.extras.errors;
    return error.extras.headers ? { problem, headers: error.extras.headers } : { problem };
  }
  if (error instanceof RuleBroken) {
    return {
      problem: {
        type: problemTypeUri(error.rule),
        title: RULE_BROKEN_TITLE,
        status: 422,
        detail: error.reason,
        instance,
        rule: error.rule,
        ...(error.errors ? { errors: error.errors } : {}),
      },
    };
  }
  if (error instanceof InvalidCursor) {
    const problem = fromCatalog('validation', error.message, instance);
    problem.errors = [
      {
        pointer: `/querystring/${error.parameter}`,
        detail: 'must be the `next` value of the previous page',
        code: 'invalid_cursor',
      },
    ];
    return { problem };
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const where = (error as { validationContext?: string }).validationContext ?? 'body';
    const errors = error.validation.flatMap((v) => {
      const at = `/${where}${v.instancePath === '/' ? '' : v.instancePath}`;
      // One error per unknown name, pointing at it, so the caller sees which parameter or field it was.
      const unknown = v.keyword === 'unrecognized_keys' ? (v.params as { keys?: unknown }).keys : undefined;
      if (Array.isArray(unknown)) {
        return unknown.map((key) => ({
          pointer: `${at}/${String(key)}`,
          detail: where === 'querystring' ? 'is not a query parameter of this route' : 'is not a field of this request',
          code: 'unrecognized_keys',
        }));
      }
      return [{ pointer: at, detail: v.message ?? 'is not valid', code: v.keyword }];
    });
    const problem = fromCatalog('validation', `${errors.length} field(s) are not valid: see errors.`, instance);
    problem.errors = errors;
    return { problem };
  }
  const fastifyError = error as Partial<FastifyError>;
  const byCode = fastifyError.code ? fastifyCodes[fastifyError.code] : undefined;
  if (byCode) {
    const detail = fastifyDetails[fastifyError.code!] ?? fastifyError.message ?? '';
    return { problem: fromCatalog(byCode, detail, instance) };
  }
  const status = fastifyError.statusCode;
  if (status && status >= 400 && status < 500) {
    return { problem: fromCatalog(statusCodes[status] ?? 'validation', fastifyError.message ?? '', instance) };
  }
  if (isDatabaseUnavailable(error)) {
    return {
      problem: fromCatalog(
        'unavailable',
        `The database cannot be reached just now. Retry after ${RETRY_AFTER_SECONDS} seconds.`,
        instance,
      ),
      headers: { 'retry-after': String(RETRY_AFTER_SECONDS) },
    };
  }
  return {
    problem: fromCatalog('internal', `Something went wrong on our side. Quote ${instance} if you report it.`, instance),
  };
}

/** What an outage's 503 asks a client to wait: about what a PostgreSQL restart or failover takes. */
export const RETRY_AFTER_SECONDS = 5;

export function sendProblem(reply: FastifyReply, problem: Problem, headers?: Record<string, string>): FastifyReply {
  if (headers) reply.headers(headers);
  return reply.code(problem.status).type('application/problem+json').send(problem);
}

// How much of a refused request's body is read and thrown away before answering: a few times the
// route's limit, and at least 8 MiB, within 10 s. Beyond either, the answer goes out anyway and the
// connection is closed under the rest.
const DISCARD_FACTOR = 4;
const DISCARD_MIN_BYTES = 8 * 1024 * 1024;
const DISCARD_MS = 10_000;

/**
 * Reads and discards what is left of a request's body, up to `maxBytes` and `maxMs`; true when the
 * body ended within them (or had already).
 */
function discardBody(raw: IncomingMessage, maxBytes: number, maxMs: number): Promise<boolean> {
  if (raw.complete || raw.readableEnded) return Promise.resolve(true);
  if (raw.destroyed) return Promise.resolve(false);
  return new Promise((resolve) => {
    let discarded = 0;
    const finish = (whole: boolean) => {
      clearTimeout(timer);
      raw.off('data', onData);
      raw.off('end', onEnd);
      raw.off('close', onClose);
      resolve(whole);
    };
    const onData = (chunk: Buffer) => {
      discarded += chunk.length;
      if (discarded > maxBytes) finish(false);
    };
    const onEnd = () => finish(true);
    const onClose = () => finish(raw.complete);
    const timer = setTimeout(() => finish(false), maxMs);
    raw.on('data', onData);
    raw.once('end', onEnd);
    raw.once('close', onClose);
    raw.resume();
  });
}

/**
 * Sends a problem once the request's body is in. An answer sent while the client is still sending
 * is lost to it if the connection then closes under its unread bytes (EPIPE, a reset): Fastify
 * refuses a body over the limit by its Content-Length without reading it, and closes the connection
 * after the 413. So what is left is read and discarded first, within bounds; beyond them the
 * connection closes after the answer. A body that ends in time leaves the connection as the answer
 * says (a 413 closes it; other refusals keep it open).
 */
async function answerAfterBody(
  request: FastifyRequest,
  reply: FastifyReply,
  problem: Problem,
  headers?: Record<string, string>,
): Promise<FastifyReply> {
  const limit = request.routeOptions.bodyLimit;
  const whole = await discardBody(request.raw, Math.max(DISCARD_FACTOR * limit, DISCARD_MIN_BYTES), DISCARD_MS);
  if (!whole) reply.header('connection', 'close');
  return sendProblem(reply, problem, headers);
}

/** Renders every error, and unknown routes, as RFC 9457 problem details. */
export async function problemsPlugin(app: FastifyInstance): Promise<void> {
  const outage = new OutageLog();
  app.addHook('onResponse', async (request, reply) => {
    if (reply.statusCode < 300) outage.served(request.log);
  });
  app.setErrorHandler(async (error, request, reply) => {
    const { problem, headers } = toProblem(error, request);
    if (problem.status === 503) outage.refused(request.log, error);
    else if (problem.status >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ problem: problem.type, status: problem.status }, 'request refused');
    return answerAfterBody(request, reply, problem, headers);
  });
  app.setNotFoundHandler(async (request, reply) =>
    answerAfterBody(
      request,
      reply,
      fromCatalog('not-found', `No route ${request.method} ${request.url.split('?')[0]}.`, request.id),
    ),
  );
}

/**
 * Fastify's `frameworkErrors`: what the router refuses before any route, hook or error handler runs
 * (a path parameter over the length limit, a URL that does not decode). The answer is a problem like
 * any other, with the request id; the request counts against the rate limit and is logged as
 * completed, as requests that reach a route are.
 */
export async function answerFrameworkError(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<void> {
  const started = performance.now();
  let refusal: unknown = error;
  try {
    if (request.server.hasDecorator('countRequest')) await request.server.countRequest(request, reply);
  } catch (limited) {
    refusal = limited;
  }
  const { problem, headers } = toProblem(refusal, request);
  if (problem.status >= 500) request.log.error({ err: refusal }, 'request failed');
  else request.log.info({ problem: problem.type, status: problem.status }, 'request refused');
  reply.raw.once('finish', () =>
    request.log.info({ req: request, res: reply, responseTime: performance.now() - started }, 'request completed'),
  );
  reply.header('x-request-id', request.id);
  sendProblem(reply, problem, headers);
}

const clientErrorTypes: Record<string, ProblemTypeId> = {
  HPE_HEADER_OVERFLOW: 'headers-too-large',
  ERR_HTTP_REQUEST_TIMEOUT: 'request-timeout',
};

/**
 * Node's `clientError`: a request too broken to become one (not HTTP, headers over the size limit or
 * too slow to arrive). There is no request object, only the socket: the problem is written on it
 * raw, as Node's and Fastify's own answers are, and the connection closed.
 */
export function answerClientError(this: FastifyInstance, error: NodeJS.ErrnoException, socket: Socket): void {
  // A reset connection has no one to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const id = clientErrorTypes[error.code ?? ''] ?? 'malformed-request';
  const instance = crypto.randomUUID();
  const problem = fromCatalog(id, problemTypes.get(id)!.doc, instance);
  this.log.info(
    { problem: problem.type, status: problem.status, code: error.code, reqId: instance },
    'request refused',
  );
  // Only between messages: a response already under way on this connection cannot be interrupted.
  const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (socket.writable && !inFlight?.headersSent) {
    const body = JSON.stringify(problem);
    socket.write(
      `HTTP/1.1 ${problem.status} ${STATUS_CODES[problem.status]}\r\n` +
        'Connection: close\r\nContent-Type: application/problem+json; charset=utf-8\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\nx-request-id: ${instance}\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}
