/**
 * When a tenant's tree head is signed. A busy LA must not get a signature per batch (thousands an
 * hour), yet every event must be under a signed head within a bounded time: a head is signed once
 * `everyEvents` of the tenant's events are unsigned, or once its oldest unsigned event is
 * `everySeconds` old. The projection judges both by the events' own recordedAt, so it stays
 * deterministic; a tail that no later event follows is signed by `AuditCheckpointSchedule`,
 * by the clock.
 */
export interface CheckpointPolicy {
  everyEvents: number;
  everySeconds: number;
}

/** AUDIT_CHECKPOINT_EVENTS and AUDIT_CHECKPOINT_SECONDS when unset. */
export const DEFAULT_CHECKPOINT_POLICY: CheckpointPolicy = { everyEvents: 10_000, everySeconds: 60 };

/** A head after every batch that adds to a tree (everySeconds 0): what tests and tools that want every head use. */
export const EVERY_BATCH: CheckpointPolicy = { everyEvents: 1, everySeconds: 0 };
