import type { StoredPayload } from './stored-payload.ts';

/**
 * Turns a stored payload of one type at version n into the payload(s) it is at version n + 1.
 * Usually one; more when a version splits an event (an upcaster must not change its argument).
 */
export type Upcaster = (stored: StoredPayload) => StoredPayload[];

/** An upcaster and the type and version it reads. */
export interface UpcasterRegistration {
  type: string;
  fromVersion: number;
  upcast: Upcaster;
}

/** Why a stored payload cannot be read at a current version. */
export type UnreadableReason = 'unknown-type' | 'no-upcaster' | 'newer-version';

/** A stored payload no upcaster chain leads from: the message names its type and version. */
export class UnreadableEventError extends Error {
  override readonly name = 'UnreadableEventError';
  readonly type: string;
  readonly schemaVersion: number;
  readonly reason: UnreadableReason;

  constructor(type: string, schemaVersion: number, reason: UnreadableReason, message: string) {
    super(message);
    this.type = type;
    this.schemaVersion = schemaVersion;
    this.reason = reason;
  }
}

export interface UpcasterRegistry {
  /** The version each event type is written at, by type. */
  readonly currentVersions: ReadonlyMap<string, number>;
  /**
   * The payload(s) `stored` is at the current versions of their types, in order: the upcasters
   * applied one version at a time. A payload already current comes back as it is. Throws
   * {@link UnreadableEventError} for an unknown type, a version no upcaster leads from, or a version
   * newer than the current one.
   */
  upcast(stored: StoredPayload): StoredPayload[];
}

const keyOf = (type: string, version: number): string => `${type}\u0000${version}`;

/**
 * A registry of the current version of each event type and of the upcasters from older versions.
 * Registering an upcaster twice, or from a version that is not older than the current one, throws.
 */
export function createUpcasterRegistry(
  currentVersions: Readonly<Record<string, number>>,
  upcasters: readonly UpcasterRegistration[] = [],
): UpcasterRegistry {
  const current = new Map(Object.entries(currentVersions));
  const byVersion = new Map<string, Upcaster>();
  for (const { type, fromVersion, upcast } of upcasters) {
    const key = keyOf(type, fromVersion);
    if (byVersion.has(key)) throw new Error(`Two upcasters for ${type} version ${fromVersion}`);
    const latest = current.get(type);
    if (latest !== undefined && fromVersion >= latest) {
      throw new Error(`An upcaster for ${type} version ${fromVersion}, but version ${latest} is current`);
    }
    byVersion.set(key, upcast);
  }
  const upcastedTypes = new Set(upcasters.map((registration) => registration.type));

  const upcast = (stored: StoredPayload): StoredPayload[] => {
    const { type, schemaVersion } = stored;
    const latest = current.get(type);
    if (latest === schemaVersion) return [stored];
    if (latest !== undefined && schemaVersion > latest) {
      throw new UnreadableEventError(
        type,
        schemaVersion,
        'newer-version',
        `${type} version ${schemaVersion} was written by a newer version of Small Steps (this one reads up to version ${latest})`,
      );
    }
    const upcaster = byVersion.get(keyOf(type, schemaVersion));
    if (upcaster === undefined) {
      if (latest === undefined && !upcastedTypes.has(type)) {
        throw new UnreadableEventError(
          type,
          schemaVersion,
          'unknown-type',
          `Unknown event type ${type} (version ${schemaVersion})`,
        );
      }
      throw new UnreadableEventError(
        type,
        schemaVersion,
        'no-upcaster',
        `No upcaster for ${type} version ${schemaVersion}`,
      );
    }
    return upcaster(stored).flatMap((next) => {
      // Each step must raise the version, so every chain ends.
      if (next.schemaVersion !== schemaVersion + 1) {
        throw new Error(
          `The upcaster for ${type} version ${schemaVersion} returned ${next.type} version ${next.schemaVersion}, not version ${schemaVersion + 1}`,
        );
      }
      return upcast(next);
    });
  };

  return { currentVersions: current, upcast };
}
