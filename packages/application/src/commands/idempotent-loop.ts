import { mayRecord, type Principal } from '@small-steps/domain';
import { type CommandResult, conflict, isCarriedOut, refused } from './command-result.ts';
import { report } from './command-telemetry.ts';
import type { IdempotencyRecords, IdempotencyRequest } from './idempotency.ts';

/** An attempt's result, or `again`: it lost a race (the record moved on, the key was taken) and may be tried afresh. */
export type Attempt = () => Promise<CommandResult | 'again'>;

const MAX_ATTEMPTS = 3;

/**
 * The one loop every command runs in. With an idempotency key it answers a repeat with the first
 * answer, refuses the key for another request, and answers `in-progress` while the same request
 * under the same key is being carried out in this process (across processes the derived event ids decide:
 * the second append is a repeat, and the record answers it). It runs the attempt again after a lost
 * race, and before giving a refusal under a key it looks the key up once more: another replica may
 * have carried out the same request meanwhile, and the caller is owed its answer, not a refusal
 * decided on the state that request produced.
 */
export class IdempotentLoop {
  readonly #records: IdempotencyRecords;
  /** Keys being carried out in this process, with the hash of the request each was sent with. */
  readonly #inFlight = new Map<string, string>();

  constructor(records: IdempotencyRecords) {
    this.#records = records;
  }

  async run(
    principal: Principal,
    idempotency: IdempotencyRequest | undefined,
    attempt: Attempt,
  ): Promise<CommandResult> {
    const result = await this.#run(principal, idempotency, attempt);
    report({ kind: 'finished', result });
    return result;
  }

  async #run(
    principal: Principal,
    idempotency: IdempotencyRequest | undefined,
    attempt: Attempt,
  ): Promise<CommandResult> {
    // The routes refuse read-only roles already; this keeps the CLI and any later door from forgetting.
    if (!mayRecord(principal)) return refused('forbidden', `The ${principal.role} role records nothing.`);
    if (idempotency === undefined) return this.#attempts(attempt);
    const key = `${principal.tenant}\u0000${principal.id}\u0000${idempotency.key}`;
    const running = this.#inFlight.get(key);
    if (running === idempotency.requestHash) {
      return conflict(
        'in-progress',
        'A request with this Idempotency-Key is still being carried out; retry shortly for its answer.',
      );
    }
    if (running !== undefined) return keyReused();
    this.#inFlight.set(key, idempotency.requestHash);
    try {
      const earlier = await this.#earlier(principal, idempotency);
      if (earlier !== undefined) return earlier;
      const result = await this.#attempts(attempt, () => this.#earlier(principal, idempotency));
      if (isCarriedOut(result)) return result;
      return (await this.#earlier(principal, idempotency)) ?? result;
    } finally {
      this.#inFlight.delete(key);
    }
  }

  async #attempts(attempt: Attempt, lookUp?: () => Promise<CommandResult | undefined>): Promise<CommandResult> {
    for (let tries = 1; ; tries++) {
      const result = await attempt();
      if (result !== 'again') return result;
      report({ kind: 'retried' });
      // The race may have been with a request under the same key: its answer is this one's.
      const earlier = await lookUp?.();
      if (earlier !== undefined) return earlier;
      if (tries >= MAX_ATTEMPTS) {
        return conflict('version-conflict', 'The record is being changed by others right now; retry shortly.');
      }
    }
  }

  async #earlier(principal: Principal, idempotency: IdempotencyRequest): Promise<CommandResult | undefined> {
    const recorded = await this.#records.find(principal, idempotency);
    if (recorded.kind === 'answered') return { outcome: 'replayed', answer: recorded.answer };
    return recorded.kind === 'other-request' ? keyReused() : undefined;
  }
}

const keyReused = (): CommandResult =>
  refused(
    'idempotency-key-reused',
    'This Idempotency-Key was already used for a different request; send a new key for a new request.',
  );
