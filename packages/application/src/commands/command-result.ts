/** A field a refusal points at: a JSON pointer into the request, why, and a stable code. */
export interface FieldError {
  pointer: string;
  detail: string;
  code: string;
}

/** What a command answers when it is carried out, and what a retry under the same key gets again. */
export interface Answer {
  /** The status the caller asked to answer with (201 for a new record, 200 otherwise). */
  status: number;
  body: unknown;
  /** The record's version after the command, as an entity tag (`"3"`); null for a command on many records. */
  etag: string | null;
}

/**
 * How a command ended. Every outcome is a value: a caller (the HTTP api, the CLI, a worker) maps
 * them to its own answers, and only a fault of ours is thrown.
 */
export type CommandResult =
  /** Carried out: the events are stored (or there were none to store). */
  | { outcome: 'accepted'; answer: Answer; preferenceApplied?: string }
  /** An earlier request with the same idempotency key was carried out: its answer, again. */
  | { outcome: 'replayed'; answer: Answer }
  /** A domain rule refuses it (docs/domain.md's rule id). */
  | { outcome: 'rejected'; rule: string; reason: string; errors?: FieldError[] }
  /** The record, or something it names, is not one the caller can see. */
  | { outcome: 'not-found'; detail: string }
  /**
   * The record is not as the caller expected: `precondition-failed` (it changed since the version
   * they read), `version-conflict` (others kept changing it), `in-progress` (a request with the
   * same idempotency key is still being carried out).
   */
  | { outcome: 'conflict'; conflict: 'precondition-failed' | 'version-conflict' | 'in-progress'; detail: string }
  /** Refused before deciding: the caller may not do this, the request does not hold together, or the key was used for another request. */
  | {
      outcome: 'refused';
      refusal: 'forbidden' | 'validation' | 'idempotency-key-reused';
      detail: string;
      errors?: FieldError[];
    };

export const etagFor = (version: number): string => `"${version}"`;

export const notFound = (detail: string): CommandResult => ({ outcome: 'not-found', detail });

export const rejected = (rule: string, reason: string, errors?: FieldError[]): CommandResult =>
  errors === undefined ? { outcome: 'rejected', rule, reason } : { outcome: 'rejected', rule, reason, errors };

export const refused = (
  refusal: Extract<CommandResult, { outcome: 'refused' }>['refusal'],
  detail: string,
  errors?: FieldError[],
): CommandResult =>
  errors === undefined ? { outcome: 'refused', refusal, detail } : { outcome: 'refused', refusal, detail, errors };

export const conflict = (
  kind: Extract<CommandResult, { outcome: 'conflict' }>['conflict'],
  detail: string,
): CommandResult => ({ outcome: 'conflict', conflict: kind, detail });

/** Whether a result is final for an idempotency key: carried out, or replayed. */
export const isCarriedOut = (result: CommandResult): boolean =>
  result.outcome === 'accepted' || result.outcome === 'replayed';
