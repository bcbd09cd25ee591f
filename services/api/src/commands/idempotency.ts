import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
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

/** Records the response under the key; a key another request took meanwhile is an {@link IdempotencyRace}. */
export async function saveIdempotentResponse(
  db: Kysely<IdempotencyDb>,
  principal: Principal,
  request: IdempotencyRequest,
  response: StoredResponse,
): Promise<void> {
  await db
    .insertInto('idempotency_records')
    .values({
      tenant: principal.tenant,
      caller: principal.id,
      key: request.key,
      request_hash: request.requestHash,
      status_code: response.statusCode,
      response: JSON.stringify(response.body) as unknown,
      etag: response.etag,
      created_at: new Date(),
    })
    .execute()
    .catch((error: unknown) => {
      throw isKeyTaken(error) ? new IdempotencyRace() : error;
    });
}
