/** Which of the log's unique constraints an insert broke, if that is what failed. */
export type BrokenUniqueConstraint = 'stream_version' | 'event_id';

const UNIQUE_VIOLATION = '23505';

export function brokenUniqueConstraint(error: unknown): BrokenUniqueConstraint | null {
  if (typeof error !== 'object' || error === null) return null;
  const { code, constraint } = error as { code?: unknown; constraint?: unknown };
  if (code !== UNIQUE_VIOLATION) return null;
  if (constraint === 'events_stream_version_unique') return 'stream_version';
  if (constraint === 'events_event_id_unique') return 'event_id';
  return null;
}
