import { isLogPosition, type LogPosition } from '@small-steps/event-store';

/** A cursor that is not one this list gave out. */
export class InvalidCursor extends Error {
  override readonly name = 'InvalidCursor';
  /** The query parameter that carried it (`cursor`, or the feed's `after`). */
  readonly parameter: string;

  constructor(parameter = 'cursor') {
    const what = parameter === 'cursor' ? 'The cursor is not one' : `\`${parameter}\` is not a cursor`;
    super(`${what} this list gave out: send the \`next\` value of the previous page.`);
    this.parameter = parameter;
  }
}

/** A `bigint` column's keyset value (positions, ids): none past the column's range was given out. */
const KEYSET_VALUE = (value: string): boolean =>
  /^\d{1,19}$/.test(value) && BigInt(value) <= 9_223_372_036_854_775_807n;

/** The highest value of an `integer` column. */
export const MAX_INTEGER = 2_147_483_647;

/** An `integer` keyset value (a stream version, an attempt's number), within the column's range. */
export const isIntegerKeyset = (value: string): boolean => /^\d{1,10}$/.test(value) && Number(value) <= MAX_INTEGER;

/** Cursors are opaque to callers: a kind tag and a keyset value, base64url-encoded. */
export const encodeCursor = (kind: string, value: bigint | string): string =>
  Buffer.from(`${kind}:${value.toString()}`, 'utf8').toString('base64url');

/**
 * The value of a cursor of `kind`, which `isValue` accepts (a keyset number by default); an
 * {@link InvalidCursor} naming `parameter` for anything else.
 */
export function decodeCursor(
  cursor: string,
  kind: string,
  { isValue = KEYSET_VALUE, parameter = 'cursor' }: { isValue?: (value: string) => boolean; parameter?: string } = {},
): string {
  const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
  const colon = decoded.indexOf(':');
  const [tag, value] = colon === -1 ? [decoded, ''] : [decoded.slice(0, colon), decoded.slice(colon + 1)];
  if (tag !== kind || !isValue(value)) throw new InvalidCursor(parameter);
  return value;
}

/** A cursor of `kind` over the event log: the store's position, opaque to callers as the others are. */
export const encodeLogCursor = (kind: string, position: LogPosition): string => encodeCursor(kind, position);

/** The log position a cursor of `kind` holds; an {@link InvalidCursor} naming `parameter` for anything else. */
export const decodeLogCursor = (cursor: string, kind: string, parameter = 'cursor'): LogPosition =>
  decodeCursor(cursor, kind, { isValue: isLogPosition, parameter }) as LogPosition;
