import { randomBytes } from 'node:crypto';
import type { EventStore } from '../event-store.ts';
import { createKurrentDbEventStore } from '../kurrentdb/create-kurrentdb-event-store.ts';
import type { EventStoreContractFactory } from './contract/context.ts';
import { kurrentDbServer } from './kurrentdb-server.ts';

/**
 * The contract suite's stores on KurrentDB. Each store gets a namespace of its own on the one
 * server (as each SQL test store gets a database), so tests never read each other's events; the
 * streams stay on the server, which tests use only as a throwaway. When there is no server the
 * factory carries the reason, and the suite is listed as skipped.
 */
export async function kurrentDbContractFactory(): Promise<EventStoreContractFactory> {
  const server = await kurrentDbServer();
  return {
    name: 'kurrentdb',
    skipReason: server.connectionString === null ? server.reason : null,
    refusesInlineWork: true,
    indexesEventIds: false,
    hooks: [],
    async create() {
      if (server.connectionString === null) throw new Error(`No KurrentDB server: ${server.reason}`);
      const connectionString = server.connectionString;
      const namespace = `t${randomBytes(6).toString('hex')}`;
      const opened: EventStore[] = [];
      const open = () => {
        const store = createKurrentDbEventStore({ connectionString, namespace });
        opened.push(store);
        return store;
      };
      return {
        store: open(),
        another: open,
        dispose: async () => {
          await Promise.all(opened.map((store) => store.close()));
        },
      };
    },
  };
}
