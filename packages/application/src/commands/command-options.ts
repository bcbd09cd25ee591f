import type { Principal } from '@small-steps/domain';
import type { IdempotencyRequest } from './idempotency.ts';

/** What every command is given besides its facts: who asks, and how. */
export interface CommandOptions {
  principal: Principal;
  /** Ties the events to the request that caused them (the request id). */
  correlationId: string;
  /** The record version the caller read; a different current version is `precondition-failed`. */
  ifMatch?: number;
  idempotency?: IdempotencyRequest;
  /** The caller wants a receipt (record id, version, advisories), not the whole record back. */
  returnMinimal?: boolean;
}
