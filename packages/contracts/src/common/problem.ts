import { z } from 'zod';
import { STORED_LIST_MAX, storedId, storedText, wholeNumber } from './bounds.ts';

export const ProblemFieldError = z
  .object({
    pointer: storedText(1000).meta({ description: 'JSON Pointer (RFC 6901) to the bad field, e.g. `/body/upn`.' }),
    detail: storedText(),
    code: storedId(),
  })
  .meta({ id: 'ProblemFieldError' });

/** RFC 9457 problem details, as every error is rendered. */
export const Problem = z
  .object({
    type: storedText(1000),
    title: storedText(1000),
    status: wholeNumber(100, 599),
    detail: storedText().optional(),
    instance: storedText(1000).optional(),
    rule: storedId().optional().meta({ description: 'The broken domain rule id (422 only).' }),
    errors: z.array(ProblemFieldError).max(STORED_LIST_MAX).optional(),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details.' });
export type Problem = z.infer<typeof Problem>;
