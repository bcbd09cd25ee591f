import { type LogPosition, START_OF_LOG } from '../event-store.ts';

/** The SQL stores' place in the log: the writing transaction's id, then the position. */
export interface SqlLogPosition {
  transactionId: bigint;
  position: bigint;
}

const SPELLING = /^(\d{1,20}):(\d{1,20})$/;
// A transaction id is an xid8 (unsigned 64 bits), a position a bigint (signed 64 bits).
const MAX_TRANSACTION_ID = 2n ** 64n - 1n;
const MAX_POSITION = 2n ** 63n - 1n;

export const logPositionOf = ({ transactionId, position }: SqlLogPosition): LogPosition =>
  `${transactionId}:${position}` as LogPosition;

/**
 * Whether `text` is spelt as this package's stores spell a position (what a caller that was handed
 * one as text, in a cursor say, checks before reading from it). It may still be one no read gave out.
 */
export function isLogPosition(text: string): text is LogPosition {
  if (text === START_OF_LOG) return true;
  const match = SPELLING.exec(text);
  return match !== null && BigInt(match[1]!) <= MAX_TRANSACTION_ID && BigInt(match[2]!) <= MAX_POSITION;
}

/** Reads a position this store gave out; anything else is a TypeError. */
export function parseLogPosition(position: LogPosition): SqlLogPosition {
  if (position === START_OF_LOG) return { transactionId: 0n, position: 0n };
  const match = isLogPosition(position) ? SPELLING.exec(position) : null;
  if (match === null) throw new TypeError(`"${position}" is not a position in this log.`);
  return { transactionId: BigInt(match[1]!), position: BigInt(match[2]!) };
}
