/** A cursor that is not one this list gave out. */
export class InvalidCursor extends Error {
  override readonly name = 'InvalidCursor';
  constructor() {
    super('The cursor is not one this list gave out: send the `next` value of the previous page.');
  }
}

/** Cursors are opaque to callers: a kind tag and a keyset value, base64url-encoded. */
export const encodeCursor = (kind: string, value: bigint | string): string =>
  Buffer.from(`${kind}:${value.toString()}`, 'utf8').toString('base64url');

/** The keyset value of a cursor of `kind`; an {@link InvalidCursor} for anything else. */
export function decodeCursor(cursor: string, kind: string): string {
  const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
  const [tag, value] = decoded.split(':', 2);
  if (tag !== kind || !value || !/^\d{1,20}$/.test(value)) throw new InvalidCursor();
  return value;
}
