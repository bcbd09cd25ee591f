// The embedded database's own thread: it opens PGlite on the folder it is given and answers the
// requests PGliteThread sends. See pglite-thread.ts for the protocol.

import { enableCompileCache } from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';
import type { PGlite, Transaction } from '@electric-sql/pglite';
import type { FromThread, ThreadStart, ToThread } from './pglite-thread-protocol.ts';
import { errorFields } from './pglite-thread-protocol.ts';

// A thread has a compile cache only if it asks for one; PGlite's code is loaded after it does.
enableCompileCache();
const { PGlite: PGliteClass } = await import('@electric-sql/pglite');
const { PGLITE_OPTIONS } = await import('./pglite-options.ts');

if (parentPort === null) throw new Error('pglite-thread-worker runs only as a worker thread');
const port = parentPort;
const { dataDir } = workerData as ThreadStart;
const send = (message: FromThread): void => port.postMessage(message);

interface OpenTransaction {
  tx: Transaction;
  /** Lets the transaction's callback return: commit, or roll back first. */
  end(commit: boolean): void;
  /** PGlite's own transaction(), settled once it has committed or rolled back. */
  done: Promise<void>;
}

const transactions = new Map<number, OpenTransaction>();
const unlistens = new Map<string, () => Promise<void>>();
let nextTransaction = 1;

async function handle(pglite: PGlite, message: ToThread): Promise<unknown> {
  switch (message.kind) {
    case 'query': {
      const target = message.tx === undefined ? pglite : transactions.get(message.tx)?.tx;
      if (target === undefined) throw new Error(`no open transaction ${message.tx}`);
      const { rows, affectedRows, fields } = await target.query(message.sql, message.params, message.options);
      return { rows, affectedRows, fields };
    }
    case 'begin':
      return begin(pglite);
    case 'end': {
      const open = transactions.get(message.tx);
      if (open === undefined) throw new Error(`no open transaction ${message.tx}`);
      open.end(message.commit);
      await open.done;
      return null;
    }
    case 'listen': {
      if (!unlistens.has(message.channel)) {
        const unlisten = await pglite.listen(message.channel, (payload) =>
          send({ kind: 'notify', channel: message.channel, payload }),
        );
        unlistens.set(message.channel, unlisten);
      }
      return null;
    }
    case 'unlisten': {
      const unlisten = unlistens.get(message.channel);
      unlistens.delete(message.channel);
      await unlisten?.();
      return null;
    }
    case 'close':
      if (!pglite.closed) await pglite.close();
      return null;
  }
}

// Runs PGlite's own transaction(), so that its lock keeps other requests out until it ends, and
// answers as soon as the transaction has begun.
function begin(pglite: PGlite): Promise<number> {
  const id = nextTransaction++;
  return new Promise((begun, failed) => {
    let end: (commit: boolean) => void = () => {};
    const ended = new Promise<boolean>((resolve) => {
      end = resolve;
    });
    const done = pglite
      .transaction(async (tx) => {
        transactions.set(id, { tx, end, done });
        begun(id);
        if (!(await ended)) await tx.rollback();
      })
      .finally(() => transactions.delete(id));
    done.catch(failed);
  });
}

async function serve(): Promise<void> {
  let pglite: PGlite;
  try {
    pglite = await PGliteClass.create(dataDir, PGLITE_OPTIONS);
  } catch (error) {
    send({ kind: 'failed', error: errorFields(error) });
    return;
  }
  port.on('message', (message: ToThread) => {
    handle(pglite, message).then(
      (result) => send({ kind: 'result', id: message.id, result }),
      (error: unknown) => send({ kind: 'error', id: message.id, error: errorFields(error) }),
    );
  });
  send({ kind: 'ready' });
}

await serve();
