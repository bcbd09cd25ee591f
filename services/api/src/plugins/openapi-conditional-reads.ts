/**
 * The reads that answer 304 to `If-None-Match` (routes/conditional-get.ts), declared in the OpenAPI
 * document: the request header, the ETag on the 200, and the 304 with no body.
 */
const CONDITIONAL_READS = new Set(['getPlan', 'getPupil']);

interface Operation {
  operationId?: string;
  parameters?: Record<string, unknown>[];
  responses?: Record<string, { description?: string; headers?: Record<string, unknown> }>;
}

const IF_NONE_MATCH = {
  in: 'header',
  name: 'If-None-Match',
  description:
    'The `ETag` of the copy you hold: when the record is still at that version the answer is 304 with no body.',
  schema: { type: 'string', maxLength: 200, example: '"7"' },
};
const ETAG = {
  description: 'The record’s version: send it as `If-None-Match` to revalidate a copy, or as `If-Match` on a command.',
  schema: { type: 'string', maxLength: 20, example: '"7"' },
};

/** Adds the conditional-read declarations to `doc`'s operations named in CONDITIONAL_READS, in place. */
export function withConditionalReads<D extends { paths?: Record<string, Record<string, Operation>> }>(doc: D): D {
  for (const methods of Object.values(doc.paths ?? {})) {
    const op = methods.get;
    if (op?.operationId === undefined || !CONDITIONAL_READS.has(op.operationId)) continue;
    op.parameters = [...(op.parameters ?? []), IF_NONE_MATCH];
    op.responses ??= {};
    const ok = op.responses['200'];
    if (ok) ok.headers = { ...ok.headers, ETag: ETAG };
    op.responses['304'] = { description: 'Not modified: the copy you hold (named by `If-None-Match`) is current.' };
  }
  return doc;
}
