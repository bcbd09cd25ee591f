import { type LogPosition, START_OF_LOG } from '../event-store.ts';

/** The SQL stores' place in the log: the writing transaction's id, then the position. */
export interface SqlLogPosition {
  transactionId: bigint;
  position: bigint;
}

const SPELLING = /^(\d{1,20}):(\d{1,20})$/;

export const logPositionOf = ({ transactionId, position }: SqlLogPosition): LogPosition =>
  `${transactionId}:${position}` as LogPosition;

/** Reads a position this store gave out; anything else is a TypeError. */
export function parseLogPosition(position: LogPosition): SqlLogPosition {
  if (position === START_OF_LOG) return { transactionId: 0n, position: 0n };
  const match = SPELLING.exec(position);
  if (match === null) throw new TypeError(`"${position}" is not a position in this log.`);
  return { transactionId: BigInt(match[1]!), position: BigInt(match[2]!) };
}
