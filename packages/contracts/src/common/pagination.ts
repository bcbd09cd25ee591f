import { z } from 'zod';

export const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(512).optional().meta({ description: 'Opaque cursor from `next` of the previous page.' }),
});

/** A page of items and the cursor of the next page (absent on the last page). */
export const page = <T extends z.ZodType>(item: T, id: string) =>
  z.object({ items: z.array(item), next: z.string().nullable() }).meta({ id });
