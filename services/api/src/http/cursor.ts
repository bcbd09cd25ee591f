import { HttpProblem } from '../plugins/problems.ts';

/** Cursors are opaque to callers: a kind tag and a keyset value, base64url-encoded. */
export const encodeCursor = (kind: string, value: bigint | string): string =>
  Buffer.from(`${kind}:${value.toString()}`, 'utf8').toString('base64url');

export function decodeCursor(cursor: string, kind: string): string {
  const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
  const [tag, value] = decoded.split(':', 2);
  if (tag !== kind || !value || !/^\d{1,20}$/.test(value)) {
    throw new HttpProblem('validation', 'The cursor is not one this list gave out.', {
      errors: [
        {
          pointer: '/querystring/cursor',
          detail: 'must be the `next` value of the previous page',
          code: 'invalid_cursor',
        },
      ],
    });
  }
  return value;
}
