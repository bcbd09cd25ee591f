import { Worker } from 'node:worker_threads';
import type { PGlite as KyselyPGlite, PGliteQueryResults, PGliteTransaction } from 'kysely';
import {
  errorFrom,
  type FromThread,
  type ThreadQueryOptions,
  type ThreadStart,
  type ToThread,
} from './pglite-thread-protocol.ts';

/**
 * What the storage asks of an embedded database: Kysely's PGlite, and LISTEN. PGlite itself is
 * one (the tests' throwaway databases), and so is {@link PGliteThread} (a data folder).
 */
export interface EmbeddedDatabase extends KyselyPGlite {
  listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>>;
}

// The worker runs as the file beside this one: .ts from the sources, .js once built.
const WORKER = new URL(
  `./pglite-thread-worker${import.meta.url.slice(import.meta.url.lastIndexOf('.'))}`,
  import.meta.url,
);

type Request = ToThread extends infer M ? (M extends ToThread ? Omit<M, 'id'> : never) : never;

/**
 * PGlite in a worker thread of its own. PostgreSQL in WASM runs on the thread that calls it: in the
 * service's thread its start (about half a second) could not begin until the service's code had
 * loaded, and every statement it ran stopped the service's event loop. In a thread of its own it
 * opens while the code loads, and runs beside the event loop as a database server would; a
 * statement's round trip through the thread takes about 0.24 ms, against 0.12 ms in-process.
 */
export class PGliteThread implements EmbeddedDatabase {
  readonly #worker: Worker;
  readonly #pending = new Map<number, { resolve(result: unknown): void; reject(error: Error): void }>();
  readonly #listeners = new Map<string, Set<(payload: string) => void>>();
  #nextId = 1;
  #stopped: Error | null = null;
  ready = false;
  closed = false;
  readonly waitReady: Promise<void>;

  /** Starts the thread and opens PGlite on `dataDir` (undefined: in the thread's memory). */
  constructor(dataDir: string | undefined) {
    // Referenced while it opens and while a request is in flight, as a socket to a server would be.
    // None of this process's Node options: the thread runs one file, whatever ran the process.
    this.#worker = new Worker(WORKER, { workerData: { dataDir } satisfies ThreadStart, execArgv: [] });
    this.waitReady = new Promise<void>((resolve, reject) => {
      this.#worker.on('message', (message: FromThread) => {
        if (message.kind === 'ready') {
          this.ready = true;
          if (this.#pending.size === 0) this.#worker.unref();
          resolve();
        } else if (message.kind === 'failed') {
          reject(this.#stop(errorFrom(message.error)));
        } else this.#receive(message);
      });
      this.#worker.on('error', (error) => reject(this.#stop(error)));
      this.#worker.on('exit', (code) =>
        reject(this.#stop(new Error(`The embedded database's thread stopped (exit code ${code}).`))),
      );
    });
    // Whoever opened it awaits waitReady; until then a failure to open waits for them.
    this.waitReady.catch(() => {});
  }

  async query<T>(sql: string, params?: unknown[], options?: ThreadQueryOptions): Promise<PGliteQueryResults<T>> {
    return this.#query(sql, params, options, undefined);
  }

  async transaction<T>(callback: (tx: PGliteTransaction) => Promise<T>): Promise<T> {
    const tx = (await this.#call({ kind: 'begin' })) as number;
    let ended = false;
    const end = async (commit: boolean) => {
      if (ended) return;
      ended = true;
      await this.#call({ kind: 'end', tx, commit });
    };
    let result: T;
    try {
      result = await callback({
        query: (sql, params, options) => this.#query(sql, params, options, tx),
        rollback: () => end(false),
      });
    } catch (error) {
      await end(false).catch(() => {});
      throw error;
    }
    await end(true);
    return result;
  }

  async listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>> {
    let listeners = this.#listeners.get(channel);
    if (listeners === undefined) {
      listeners = new Set();
      this.#listeners.set(channel, listeners);
      await this.#call({ kind: 'listen', channel });
    }
    listeners.add(onNotify);
    return async () => {
      listeners.delete(onNotify);
      if (listeners.size > 0 || this.#listeners.get(channel) !== listeners) return;
      this.#listeners.delete(channel);
      if (!this.closed) await this.#call({ kind: 'unlisten', channel });
    };
  }

  /** Closes the database (a clean shutdown of PostgreSQL), then stops the thread. */
  async close(): Promise<void> {
    if (this.closed) return;
    try {
      await this.#call({ kind: 'close' });
    } finally {
      this.#stop(new Error('The embedded database is closed.'));
      await this.#worker.terminate();
    }
  }

  #query<T>(
    sql: string,
    params: unknown[] | undefined,
    options: ThreadQueryOptions | undefined,
    tx: number | undefined,
  ): Promise<PGliteQueryResults<T>> {
    const { rowMode, paramTypes, ...other } = options ?? {};
    const unsupported = Object.keys(other);
    if (unsupported.length > 0)
      return Promise.reject(new Error(`PGliteThread cannot pass ${unsupported.join(', ')} to its thread`));
    const crossing: ThreadQueryOptions = {
      ...(rowMode === undefined ? {} : { rowMode }),
      ...(paramTypes === undefined ? {} : { paramTypes }),
    };
    return this.#call({
      kind: 'query',
      sql,
      params,
      options: crossing,
      ...(tx === undefined ? {} : { tx }),
    }) as Promise<PGliteQueryResults<T>>;
  }

  #call(request: Request): Promise<unknown> {
    if (this.#stopped !== null) return Promise.reject(this.#stopped);
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      if (this.#pending.size === 0) this.#worker.ref();
      this.#pending.set(id, { resolve, reject });
      this.#worker.postMessage({ ...request, id } as ToThread);
    });
  }

  #receive(message: Exclude<FromThread, { kind: 'ready' | 'failed' }>): void {
    if (message.kind === 'notify') {
      for (const listener of this.#listeners.get(message.channel) ?? []) listener(message.payload);
      return;
    }
    const pending = this.#pending.get(message.id);
    if (pending === undefined) return;
    this.#settled(message.id);
    if (message.kind === 'result') pending.resolve(message.result);
    else pending.reject(errorFrom(message.error));
  }

  #settled(id: number): void {
    this.#pending.delete(id);
    if (this.#pending.size === 0 && this.ready) this.#worker.unref();
  }

  // The thread is gone (it failed to open, threw, or exited): every request in flight fails with
  // why, and so does every later one.
  #stop(error: Error): Error {
    this.#stopped ??= error;
    this.closed = true;
    for (const [id, pending] of this.#pending) {
      this.#settled(id);
      pending.reject(this.#stopped);
    }
    return this.#stopped;
  }
}
