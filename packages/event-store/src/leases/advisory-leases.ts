import pg from 'pg';
import type { Leases } from './leases.ts';

// The first key of every advisory lock this service takes: other software's locks never collide.
const LOCK_SPACE = 0x5357; // "SW"

/**
 * Leases as PostgreSQL session advisory locks, held on a connection of their own: a process that
 * dies, or loses that connection, loses its locks with it, and another process takes them over on
 * its next try. The lock key is the lease name's hash (`hashtext`).
 */
export function advisoryLeases(connectionString: string): Leases {
  let client: pg.Client | null = null;
  let connecting: Promise<pg.Client> | null = null;
  const held = new Set<string>();
  // One statement at a time on the connection: several runners ask for their leases at once, and
  // pg no longer queues statements on a client for its callers (deprecated in pg 8, gone in 9).
  let queue: Promise<unknown> = Promise.resolve();
  const inTurn = <T>(statement: () => Promise<T>): Promise<T> => {
    const turn = queue.then(statement, statement);
    queue = turn.catch(() => undefined);
    return turn;
  };

  const lost = (lostClient: pg.Client) => {
    if (client !== lostClient) return;
    client = null;
    held.clear();
  };
  const connection = (): Promise<pg.Client> => {
    if (client !== null) return Promise.resolve(client);
    connecting ??= (async () => {
      const opened = new pg.Client({ connectionString, application_name: 'small-steps-leases' });
      opened.on('error', () => lost(opened));
      opened.on('end', () => lost(opened));
      try {
        await opened.connect();
        client = opened;
        return opened;
      } finally {
        connecting = null;
      }
    })();
    return connecting;
  };

  return {
    async tryTake(name) {
      if (held.has(name)) return true;
      const session = await connection();
      const { rows } = await inTurn(() =>
        session.query<{ taken: boolean }>('select pg_try_advisory_lock($1, hashtext($2)) as taken', [LOCK_SPACE, name]),
      );
      if (rows[0]?.taken === true && client === session) held.add(name);
      return held.has(name);
    },
    isHeld: (name) => held.has(name),
    async release(name) {
      const session = client;
      if (!held.delete(name) || session === null) return;
      await inTurn(() => session.query('select pg_advisory_unlock($1, hashtext($2))', [LOCK_SPACE, name])).catch(
        () => undefined,
      );
    },
    async close() {
      held.clear();
      const closing = client;
      client = null;
      await closing?.end().catch(() => undefined);
    },
  };
}
