import type { Migration } from 'kysely/migration';
import { createEvents } from './0001-create-events.ts';
import { eventsTenant } from './0002-events-tenant.ts';

/** The store's own migrations, by name; names sort in the order they run. */
export const eventStoreMigrations: Record<string, Migration> = {
  '0001-create-events': createEvents,
  '0002-events-tenant': eventsTenant,
};
