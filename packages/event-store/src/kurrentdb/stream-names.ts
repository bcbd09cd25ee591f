/**
 * Where this service's streams live in KurrentDB: `<namespace>.<stream id>`. The namespace keeps
 * them apart from a council's other streams on the same server (and each test's streams apart from
 * another's), and is the one prefix every read of `$all` filters on server-side.
 *
 * The tenant is not a part of the name the store adds: a plan's or a pupil's stream id does not
 * carry its LA, and a store that put it in the name would need a lookup to find a stream from its id.
 * Where a stream id carries the LA (`attendance-<LA>-<URN>-<date>`), so does the name; a read of one
 * tenant's events filters the namespace's events by `metadata.actor.tenant`, as the SQL stores do.
 */
const NAMESPACE = /^[A-Za-z][A-Za-z0-9_]{0,39}$/;

export interface StreamNames {
  readonly namespace: string;
  /** The KurrentDB stream name of one of our streams. */
  nameOf(streamId: string): string;
  /** Our stream id of a KurrentDB stream name, or null when the stream is not in the namespace. */
  idOf(streamName: string): string | null;
  /** Server-side prefixes of `$all` for streams whose id starts with one of `prefixes` (all, when absent). */
  prefixesOf(prefixes?: readonly string[]): string[];
}

export function streamNames(namespace: string): StreamNames {
  if (!NAMESPACE.test(namespace))
    throw new TypeError(`KurrentDB namespace "${namespace}" must be a letter and up to 39 letters, digits or _.`);
  const prefix = `${namespace}.`;
  return {
    namespace,
    nameOf(streamId) {
      if (streamId.length === 0) throw new TypeError('A stream id must not be empty.');
      return prefix + streamId;
    },
    idOf: (streamName) =>
      streamName.startsWith(prefix) && streamName.length > prefix.length ? streamName.slice(prefix.length) : null,
    prefixesOf: (prefixes) => (prefixes === undefined ? [prefix] : prefixes.map((start) => prefix + start)),
  };
}
