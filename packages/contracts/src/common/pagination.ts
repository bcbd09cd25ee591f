import { z } from 'zod';
import { PAGE_MAX, storedText } from './bounds.ts';

/** A list's filter for records changed since an instant: a periodic sync (the change feed is exact). */
export const updatedSince = z.iso
  .datetime({ offset: true, message: 'must be an ISO 8601 date-time with offset' })
  .max(64, { message: 'must be at most 64 characters' })
  .optional()
  .meta({
    description:
      'Only records last changed at or after this instant. For a periodic sync; to follow every change in order, use the change feed.',
  });

export const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(512).optional().meta({ description: 'Opaque cursor from `next` of the previous page.' }),
});

/** A page of items and the cursor of the next page (absent on the last page); its example is the item's, alone. */
export const page = <T extends z.ZodType>(item: T, id: string) => {
  const example = z.globalRegistry.get(item)?.example;
  return z
    .object({ items: z.array(item).max(PAGE_MAX), next: storedText(512).nullable() })
    .meta({ id, ...(example === undefined ? {} : { example: { items: [example], next: null } }) });
};
