import pg from 'pg';
import type { Listen } from '../notify/wakeups.ts';

/** LISTEN needs a connection of its own for as long as it listens, so it never comes from the pool. */
export function listenOn(connectionString: string): Listen {
  return async (onNotify, onLost) => {
    const client = new pg.Client({ connectionString, application_name: 'small-steps-listener' });
    let stopping = false;
    const lost = () => {
      if (!stopping) onLost();
    };
    client.on('notification', onNotify);
    client.on('error', lost);
    client.on('end', lost);
    try {
      await client.connect();
      await client.query('listen events');
    } catch (error) {
      stopping = true;
      await client.end().catch(() => undefined);
      throw error;
    }
    return async () => {
      stopping = true;
      await client.end();
    };
  };
}
