import {
  type Problem,
  type ProblemTypeId,
  problemTypes,
  problemTypeUri,
  RULE_BROKEN_TITLE,
} from '@small-steps/contracts';
import { InvalidCursor } from '@small-steps/projections';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';

type FieldError = NonNullable<Problem['errors']>[number];

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
};

const statusCodes: Record<number, ProblemTypeId> = {
  400: 'validation',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not-found',
  405: 'method-not-allowed',
  409: 'version-conflict',
  412: 'precondition-failed',
  413: 'payload-too-large',
  415: 'unsupported-media-type',
  429: 'rate-limited',
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
        pointer: '/querystring/cursor',
        detail: 'must be the `next` value of the previous page',
        code: 'invalid_cursor',
      },
    ];
    return { problem };
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const where = (error as { validationContext?: string }).validationContext ?? 'body';
    const errors = error.validation.map((v) => ({
      pointer: `/${where}${v.instancePath === '/' ? '' : v.instancePath}`,
      detail: v.message ?? 'is not valid',
      code: v.keyword,
    }));
    const problem = fromCatalog('validation', `${errors.length} field(s) are not valid: see errors.`, instance);
    problem.errors = errors;
    return { problem };
  }
  const fastifyError = error as Partial<FastifyError>;
  const byCode = fastifyError.code ? fastifyCodes[fastifyError.code] : undefined;
  if (byCode) return { problem: fromCatalog(byCode, fastifyError.message ?? '', instance) };
  const status = fastifyError.statusCode;
  if (status && status >= 400 && status < 500) {
    return { problem: fromCatalog(statusCodes[status] ?? 'validation', fastifyError.message ?? '', instance) };
  }
  return {
    problem: fromCatalog('internal', `Something went wrong on our side. Quote ${instance} if you report it.`, instance),
  };
}

export function sendProblem(reply: FastifyReply, problem: Problem, headers?: Record<string, string>): FastifyReply {
  if (headers) reply.headers(headers);
  return reply.code(problem.status).type('application/problem+json').send(problem);
}

/** Renders every error, and unknown routes, as RFC 9457 problem details. */
export async function problemsPlugin(app: FastifyInstance): Promise<void> {
  app.setErrorHandler((error, request, reply) => {
    const { problem, headers } = toProblem(error, request);
    if (problem.status >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ problem: problem.type, status: problem.status }, 'request refused');
    return sendProblem(reply, problem, headers);
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(
      reply,
      fromCatalog('not-found', `No route ${request.method} ${request.url.split('?')[0]}.`, request.id),
    ),
  );
}
