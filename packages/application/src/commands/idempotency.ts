import { createHash } from 'node:crypto';
import type { Principal } from '@small-steps/domain';
import type { PersonalCipher, PersonalSubject } from '@small-steps/projections';
import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Answer } from './command-result.ts';
import type { IdempotencyRecordsTable } from './idempotency-migrations.ts';

type IdempotencyDb = { idempotency_records: IdempotencyRecordsTable };

/** An idempotency key with what it was sent with: the same key with another request is refused. */
export interface IdempotencyRequest {
  key: string;
  /** Hash of what makes the request (method, route, parameters, body): see {@link hashRequest}. */
  requestHash: string;
}

export const hashRequest = (method: string, routeUrl: string, params: unknown, body: unknown): string =>
  createHash('sha256')
    .update(JSON.stringify([method, routeUrl, params, body ?? null]))
    .digest('hex');

/** What is recorded under a key: nothing yet, the answer given, or a different request. */
export type Recorded = { kind: 'none' } | { kind: 'answered'; answer: Answer } | { kind: 'other-request' };

/**
 * Idempotency records: the answer given under each (tenant, caller, key), stored with the events
 * (the append's inline work), so a retry gets the first answer and appends nothing. An answer about
 * a pupil is sealed under the pupil's key, like every other copy of their personal data.
 */
export class IdempotencyRecords {
  readonly #db: Kysely<IdempotencyDb>;
  readonly #cipher: PersonalCipher;

  constructor(db: Kysely<object>, cipher: PersonalCipher) {
    this.#db = db.withTables<IdempotencyDb>();
    this.#cipher = cipher;
  }

  async find(principal: Principal, request: IdempotencyRequest): Promise<Recorded> {
    const row = await this.#db
      .selectFrom('idempotency_records')
      .select(['request_hash', 'status_code', 'response', 'etag'])
      .where('tenant', '=', principal.tenant)
      .where('caller', '=', principal.id)
      .where('key', '=', request.key)
      .executeTakeFirst();
    if (!row) return { kind: 'none' };
    if (row.request_hash !== request.requestHash) return { kind: 'other-request' };
    const body = await this.#cipher.open(row.response);
    return { kind: 'answered', answer: { status: row.status_code, body, etag: row.etag } };
  }

  /** The record as a write: sent with an append, it is stored only if the events are. */
  async write(
    principal: Principal,
    request: IdempotencyRequest,
    answer: Answer,
    subject?: PersonalSubject,
  ): Promise<RawBuilder<unknown>> {
    const body = subject === undefined ? answer.body : await this.#cipher.seal(subject, answer.body);
    return sql`insert into ${RECORD_COLUMNS} values (${recordValues(principal, request, { ...answer, body })})`;
  }

  /** Records an answer on its own (a command that appended nothing); false when the key was taken meanwhile. */
  async save(principal: Principal, request: IdempotencyRequest, answer: Answer): Promise<boolean> {
    try {
      await (await this.write(principal, request, answer)).execute(this.#db);
      return true;
    } catch (error) {
      if (isKeyTaken(error)) return false;
      throw error;
    }
  }
}

/** Whether an error is another request with the same key committing first. */
export const isKeyTaken = (error: unknown): boolean =>
  typeof error === 'object' &&
  error !== null &&
  (error as { code?: string }).code === '23505' &&
  (error as { constraint?: string }).constraint === 'idempotency_records_pk';

const recordValues = (principal: Principal, request: IdempotencyRequest, answer: Answer) =>
  sql.join([
    sql`${principal.tenant}::text`,
    sql`${principal.id}::text`,
    sql`${request.key}::text`,
    sql`${request.requestHash}::text`,
    sql`${answer.status}::integer`,
    sql`${JSON.stringify(answer.body)}::jsonb`,
    sql`${answer.etag}::text`,
    sql`now()`,
  ]);

const RECORD_COLUMNS = sql`idempotency_records (tenant, caller, key, request_hash, status_code, response, etag, created_at)`;
