import type { NewEvent } from '../event-store.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The batch's ids in the form the uuid column hands back (lower case), checked for shape and repeats. */
export function eventIds(events: readonly NewEvent[]): string[] {
  const ids = events.map((event) => event.id.toLowerCase());
  const seen = new Set<string>();
  for (const [index, id] of ids.entries()) {
    if (!UUID.test(id)) throw new TypeError(`Event id "${events[index]?.id}" is not a UUID.`);
    if (seen.has(id)) throw new TypeError(`Event id ${id} appears twice in one append.`);
    seen.add(id);
  }
  return ids;
}
