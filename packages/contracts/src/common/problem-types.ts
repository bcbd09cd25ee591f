/** Base of every problem `type` URI; the id is appended (`…/problems/no-skipping`). */
export const PROBLEM_TYPE_BASE = 'https://small-steps.org.uk/problems/';

export interface ProblemType {
  id: string;
  title: string;
  status: number;
  /** One line for the docs: when a caller sees it. */
  doc: string;
}

const catalog = [
  {
    id: 'validation',
    title: 'The request is not valid',
    status: 400,
    doc: 'A field is missing, of the wrong type or out of range; `errors` lists each one.',
  },
  {
    id: 'malformed-request',
    title: 'The request is malformed',
    status: 400,
    doc: 'The request is not valid HTTP, or its URL is not validly percent-encoded.',
  },
  {
    id: 'malformed-json',
    title: 'The body is not valid JSON',
    status: 400,
    doc: 'The request body could not be parsed.',
  },
  {
    id: 'unauthenticated',
    title: 'Authentication is required',
    status: 401,
    doc: 'No bearer token, or one that is expired, malformed or not signed by a trusted key.',
  },
  {
    id: 'forbidden',
    title: 'Your role may not do this',
    status: 403,
    doc: 'The token is valid but its role does not allow this operation.',
  },
  {
    id: 'not-found',
    title: 'Not found',
    status: 404,
    doc: "No such resource in your tenant (another tenant's records are also 404).",
  },
  {
    id: 'method-not-allowed',
    title: 'Method not allowed',
    status: 405,
    doc: 'The resource exists but does not accept this method.',
  },
  {
    id: 'request-timeout',
    title: 'The request took too long to arrive',
    status: 408,
    doc: 'Its headers did not all arrive in time; send the request again.',
  },
  {
    id: 'version-conflict',
    title: 'The record changed since you read it',
    status: 409,
    doc: 'Another write reached the record first; read it again and retry.',
  },
  {
    id: 'precondition-failed',
    title: 'If-Match does not match the current version',
    status: 412,
    doc: 'The ETag you sent is stale; read the record again.',
  },
  {
    id: 'payload-too-large',
    title: 'The body is too large',
    status: 413,
    doc: 'The body exceeds the limit for this endpoint.',
  },
  {
    id: 'uri-too-long',
    title: 'The URL is too long',
    status: 414,
    doc: 'A path parameter is longer than 100 characters, which no id is; check the URL.',
  },
  { id: 'unsupported-media-type', title: 'Unsupported content type', status: 415, doc: 'Send `application/json`.' },
  {
    id: 'request-in-progress',
    title: 'A request with this Idempotency-Key is still being carried out',
    status: 409,
    doc: 'Retry after `Retry-After` seconds: you get the first request’s answer once it is done.',
  },
  {
    id: 'idempotency-key-reused',
    title: 'This Idempotency-Key was used with a different request',
    status: 422,
    doc: 'Use a new key for a new request.',
  },
  {
    id: 'rate-limited',
    title: 'Too many requests',
    status: 429,
    doc: 'Slow down; `Retry-After` says when to try again.',
  },
  {
    id: 'headers-too-large',
    title: 'The request headers are too large',
    status: 431,
    doc: 'The request line and headers exceed 16 KiB together; a token or a cookie is likely too large.',
  },
  {
    id: 'internal',
    title: 'Internal error',
    status: 500,
    doc: 'Something failed on our side; the request id identifies it in our logs.',
  },
  {
    id: 'unavailable',
    title: 'Service unavailable',
    status: 503,
    doc: 'The database is unreachable or migrations are not applied.',
  },
] as const satisfies readonly ProblemType[];

export type ProblemTypeId = (typeof catalog)[number]['id'];

export const problemTypes: ReadonlyMap<string, ProblemType> = new Map(catalog.map((p) => [p.id, p]));

/** Problem `type` URI for an id from the catalog or a domain rule id (422). */
export const problemTypeUri = (id: string): string => `${PROBLEM_TYPE_BASE}${id}`;

/** Domain rules are 422s; their title is fixed, the detail says what the guidance asks. */
export const RULE_BROKEN_TITLE = 'The request breaks a rule of the plan';
