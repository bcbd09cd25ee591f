import { isIsoDate } from '@small-steps/domain';
import { z } from 'zod';

// jsonb refuses U+0000 and lone surrogates; letting them through would turn a caller's typo into a 500.
// biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to find them
const FORBIDDEN = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** A trimmed string with a length limit, refusing NUL and lone surrogates. */
export const safeText = (max: number, min = 1) =>
  z
    .string()
    .trim()
    .min(min, { message: min === 1 ? 'must not be empty' : `must be at least ${min} characters` })
    .max(max, { message: `must be at most ${max} characters` })
    .refine((s) => !FORBIDDEN.test(s), { message: 'must not contain NUL characters or unpaired surrogates' });

// A real calendar date from the year 1000 on: a mistyped year (0205) is refused here, not counted later.
export const isoDate = z.iso
  .date({ message: 'must be a date as YYYY-MM-DD', abort: true })
  .refine(isIsoDate, { message: 'must be a date as YYYY-MM-DD, from the year 1000 on' })
  .meta({ maxLength: 10 });
// The lengths said beside a pattern are the ones it already allows: declared for the document, checked by the pattern.
export const isoDateTime = z.iso
  .datetime({ offset: true, message: 'must be an ISO 8601 date-time with offset' })
  .max(64, { message: 'must be at most 64 characters' });
export const uuid = z.uuid({ message: 'must be a UUID' }).meta({ maxLength: 36 });
export const schoolUrn = z
  .string()
  .regex(/^\d{6}$/, { message: 'must be a 6-digit URN' })
  .meta({ maxLength: 6 });
export const laCode = z
  .string()
  .regex(/^\d{3}$/, { message: 'must be a 3-digit LA code' })
  .meta({ maxLength: 3 });
