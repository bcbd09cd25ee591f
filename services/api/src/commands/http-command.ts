import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../auth/principal.ts';
import { HttpProblem } from '../plugins/problems.ts';
import { hashRequest, type IdempotencyRequest } from './idempotency.ts';
import type { CommandResult } from './run-command.ts';

export interface HttpCommandOptions {
  principal: Principal;
  correlationId: string;
  ifMatch?: number;
  idempotency?: IdempotencyRequest;
  /** `Prefer: return=minimal` (RFC 7240): the caller wants a receipt, not the whole record back. */
  returnMinimal?: boolean;
}

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

/** What every command takes from the request: caller, correlation id, If-Match and Idempotency-Key. */
export function commandOptions(request: FastifyRequest): HttpCommandOptions {
  const options: HttpCommandOptions = {
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

export function sendCommandResult(reply: FastifyReply, result: CommandResult): FastifyReply {
  if (result.etag) reply.header('etag', result.etag);
  if (result.replayed) reply.header('idempotent-replayed', 'true');
  if (result.preferenceApplied) reply.header('preference-applied', result.preferenceApplied);
  return reply.code(result.statusCode).send(result.body);
}
