import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * Sends a record with its ETag, or 304 Not Modified with no body when the caller's `If-None-Match`
 * already names that version (RFC 9110 §13.1.2: weak comparison, a list, or `*`). The read has
 * happened either way (a person's read is in the access log): only the bytes are spared.
 */
export function sendWithEtag(request: FastifyRequest, reply: FastifyReply, etag: string, body: unknown) {
  reply.header('etag', etag);
  const condition = request.headers['if-none-match'];
  if (condition !== undefined && names(condition, etag)) return reply.code(304).send();
  return reply.send(body);
}

const opaque = (tag: string) => tag.trim().replace(/^W\//, '');

function names(condition: string, etag: string): boolean {
  if (condition.trim() === '*') return true;
  return condition.split(',').some((tag) => opaque(tag) === opaque(etag));
}
