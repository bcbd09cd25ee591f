import { createHash } from 'node:crypto';
import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Principal } from '../auth/principal.ts';
import type { IdempotencyRecordsTable } from '../migrations/api-migrations.ts';
import { HttpProblem } from '../plugins/problems.ts';

export interface IdempotencyDb {
  idempotency_records: IdempotencyRecordsTable;
}

export interface StoredResponse {
  statusCode: number;
  body: unknown;
  etag: string | null;
}

export interface IdempotencyRequest {
  key: string;
  /** Hash of method, route and body: the same key with another request is refused. */
  requestHash: string;
}

export const hashRequest = (method: string, routeUrl: string, params: unknown, body: unknown): string =>
  createHash('sha256')
    .update(JSON.stringify([method, routeUrl, params, body ?? null]))
    .digest('hex');

/** The stored response for this key, or undefined; a different request under the same key is a 422. */
export async function findIdempotentResponse(
  db: Kysely<IdempotencyDb>,
  principal: Principal,
  request: IdempotencyRequest,
): Promise<StoredResponse | undefined> {
  const row = await db
    .selectFrom('idempotency_records')
    .select(['request_hash', 'status_code', 'response', 'etag'])
    .where('tenant', '=', principal.tenant)
    .where('caller', '=', principal.id)
    .where('key', '=', request.key)
    .executeTakeFirst();
  if (!row) return undefined;
  if (row.request_hash !== request.requestHash) {
    throw new HttpProblem(
      'idempotency-key-reused',
      'This Idempotency-Key was already used for a different request; send a new key for a new request.',
    );
  }
  return { statusCode: row.status_code, body: row.response, etag: row.etag };
}

/** Another request with the same key committed first; the caller looks the key up again. */
export class IdempotencyRace extends Error {
  constructor() {
    super('Another request with this Idempotency-Key committed first.');
    this.name = 'IdempotencyRace';
  }
}

const isKeyTaken = (error: unknown): boolean =>
  typeof error === 'object' &&
  error !== null &&
  (error as { code?: string }).code === '23505' &&
  (error as { constraint?: string }).constraint === 'idempotency_records_pk';

/** A taken key as the caller sees it: an {@link IdempotencyRace}; other errors pass through. */
export const asIdempotencyRace = (error: unknown): unknown => (isKeyTaken(error) ? new IdempotencyRace() : error);

const recordValues = (principal: Principal, request: IdempotencyRequest, response: StoredResponse) =>
  sql.join([
    sql`${principal.tenant}::text`,
    sql`${principal.id}::text`,
    sql`${request.key}::text`,
    sql`${request.requestHash}::text`,
    sql`${response.statusCode}::integer`,
    sql`${JSON.stringify(response.body)}::jsonb`,
    sql`${response.etag}::text`,
    sql`now()`,
  ]);

const RECORD_COLUMNS = sql`idempotency_records (tenant, caller, key, request_hash, status_code, response, etag, created_at)`;

/**
 * The response recorded under the key, as a write sent with the append (the event store's
 * `alongside`): it is stored only if the events are. A key taken meanwhile fails the append; pass
 * the error through {@link asIdempotencyRace}.
 */
export const idempotentResponseWrite = (
  principal: Principal,
  request: IdempotencyRequest,
  response: StoredResponse,
): RawBuilder<unknown> =>
  sql`insert into ${RECORD_COLUMNS} select ${recordValues(principal, request, response)} from appended_events limit 1`;

/** Records the response under the key on its own (no events to append); a taken key is an {@link IdempotencyRace}. */
export async function saveIdempotentResponse(
  db: Kysely<IdempotencyDb>,
  principal: Principal,
  request: IdempotencyRequest,
  response: StoredResponse,
): Promise<void> {
  await sql`insert into ${RECORD_COLUMNS} values (${recordValues(principal, request, response)})`
    .execute(db)
    .catch((error: unknown) => {
      throw asIdempotencyRace(error);
    });
}
