import { z } from 'zod';

export const ProblemFieldError = z
  .object({
    pointer: z.string().meta({ description: 'JSON Pointer (RFC 6901) to the bad field, e.g. `/body/upn`.' }),
    detail: z.string(),
    code: z.string(),
  })
  .meta({ id: 'ProblemFieldError' });

/** RFC 9457 problem details, as every error is rendered. */
export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    rule: z.string().optional().meta({ description: 'The broken domain rule id (422 only).' }),
    errors: z.array(ProblemFieldError).optional(),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details.' });
export type Problem = z.infer<typeof Problem>;
