import { type LogPosition, START_OF_LOG } from '../event-store.ts';
import { isLogPosition } from '../sql/log-position.ts';

/** A place in KurrentDB's `$all`: the commit and prepare positions of a record in its transaction file. */
export interface KurrentPosition {
  commit: bigint;
  prepare: bigint;
}

/**
 * `<commit>:<prepare>`, the same spelling of two whole numbers as the SQL stores' positions, so a
 * cursor handed out by either store passes {@link isLogPosition}; each store reads only its own.
 */
export const logPositionOfKurrent = ({ commit, prepare }: KurrentPosition): LogPosition =>
  `${commit}:${prepare}` as LogPosition;

/** Reads a position this store gave out: null for the start of the log, anything else a TypeError. */
export function parseKurrentPosition(position: LogPosition): KurrentPosition | null {
  if (position === START_OF_LOG) return null;
  const [commit, prepare] = isLogPosition(position) ? position.split(':') : [];
  if (commit === undefined || prepare === undefined) throw new TypeError(`"${position}" is not a position in $all.`);
  const parsed = { commit: BigInt(commit), prepare: BigInt(prepare) };
  if (parsed.prepare > parsed.commit)
    throw new TypeError(`"${position}" is not a position in $all: a record is prepared before it commits.`);
  return parsed;
}

/** True when `a` is after `b` in `$all` (commit position first, then prepare). */
export const isAfter = (a: KurrentPosition, b: KurrentPosition): boolean =>
  a.commit > b.commit || (a.commit === b.commit && a.prepare > b.prepare);
