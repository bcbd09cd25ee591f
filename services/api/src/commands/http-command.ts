import { type CommandOptions, type CommandResult, hashRequest } from '@small-steps/application';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { HttpProblem, RuleBroken } from '../plugins/problems.ts';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;
const IF_MATCH = /^(?:W\/)?"?(\d{1,15})"?$/;
const RETURN_MINIMAL = /(?:^|,)\s*return\s*=\s*"?minimal"?\s*(?:[;,]|$)/i;

const badHeader = (name: string, detail: string) =>
  new HttpProblem('validation', `The ${name} header is not valid.`, {
    errors: [{ pointer: `/headers/${name.toLowerCase()}`, detail, code: 'invalid_header' }],
  });

function headerValue(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** What every command takes from the request: caller, correlation id, If-Match, Prefer and Idempotency-Key. */
export function commandOptions(request: FastifyRequest): CommandOptions {
  const options: CommandOptions = {
    principal: request.principal,
    correlationId: request.id,
  };
  const ifMatch = headerValue(request, 'if-match');
  if (ifMatch !== undefined && ifMatch !== '*') {
    const match = IF_MATCH.exec(ifMatch.trim());
    if (!match?.[1]) throw badHeader('If-Match', 'must be an ETag from a response, such as "3"');
    options.ifMatch = Number(match[1]);
  }
  const prefer = headerValue(request, 'prefer');
  if (prefer !== undefined && RETURN_MINIMAL.test(prefer)) options.returnMinimal = true;
  const key = headerValue(request, 'idempotency-key');
  if (key !== undefined) {
    if (!IDEMPOTENCY_KEY.test(key))
      throw badHeader('Idempotency-Key', 'must be 1 to 200 visible ASCII characters, such as a UUID');
    options.idempotency = {
      key,
      requestHash: hashRequest(request.method, request.routeOptions.url ?? request.url, request.params, request.body),
    };
  }
  return options;
}

/** Answers a command's result: its answer, or the problem that says why it was not carried out. */
export function sendCommandResult(reply: FastifyReply, result: CommandResult): FastifyReply {
  switch (result.outcome) {
    case 'accepted':
    case 'replayed': {
      const { answer } = result;
      if (answer.etag) reply.header('etag', answer.etag);
      if (result.outcome === 'replayed') reply.header('idempotent-replayed', 'true');
      if (result.outcome === 'accepted' && result.preferenceApplied) {
        reply.header('preference-applied', result.preferenceApplied);
      }
      return reply.code(answer.status).send(answer.body);
    }
    case 'rejected':
      throw new RuleBroken(result.rule, result.reason, result.errors);
    case 'not-found':
      throw new HttpProblem('not-found', result.detail);
    case 'conflict':
      throw result.conflict === 'in-progress'
        ? new HttpProblem('request-in-progress', result.detail, { headers: { 'retry-after': '1' } })
        : new HttpProblem(result.conflict, result.detail);
    case 'refused':
      throw new HttpProblem(result.refusal, result.detail, result.errors ? { errors: result.errors } : {});
  }
}

/** The Location of a record a command created, when its answer names one. */
export function locationOf(result: CommandResult, path: (id: string) => string, idField: string): string | undefined {
  if (result.outcome !== 'accepted' && result.outcome !== 'replayed') return undefined;
  const id = (result.answer.body as Record<string, unknown> | null)?.[idField];
  return typeof id === 'string' ? path(id) : undefined;
}
