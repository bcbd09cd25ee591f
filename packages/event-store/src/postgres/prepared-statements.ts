import pg from 'pg';

/**
 * Which statement texts PostgreSQL should parse and plan once per connection instead of on every
 * execution. An unnamed statement is parsed, analysed and planned each time: for the append with
 * its alongside writes that was about a third of the server's CPU per command. A text is named once
 * it has run `after` times, so one-off shapes (a bulk insert's row count, a list's length) do not
 * take a name, and at most `limit` texts are ever named, which bounds the plans each backend keeps.
 * The same text always gets the same name, on every connection of the process.
 */
export class StatementNames {
  readonly #named = new Map<string, string>();
  readonly #seen = new Map<string, number>();
  #issued = 0;
  readonly limit: number;
  readonly after: number;

  constructor(limit = 200, after = 2) {
    this.limit = limit;
    this.after = after;
  }

  /** The name to prepare `text` under, or undefined to run it unnamed. */
  nameOf(text: string): string | undefined {
    const known = this.#named.get(text);
    if (known !== undefined || this.#named.size >= this.limit) return known;
    const seen = (this.#seen.get(text) ?? 0) + 1;
    if (seen < this.after) {
      // Texts seen once are forgotten in a batch rather than kept forever.
      if (this.#seen.size >= this.limit * 8) this.#seen.clear();
      this.#seen.set(text, seen);
      return undefined;
    }
    this.#seen.delete(text);
    return this.#issue(text);
  }

  /** A new name for a named text whose prepared form went stale: every connection prepares it afresh. */
  renew(text: string): string {
    return this.#issue(text);
  }

  #issue(text: string): string {
    const name = `small_steps_${++this.#issued}`;
    this.#named.set(text, name);
    return name;
  }

  get size(): number {
    return this.#named.size;
  }
}

/**
 * A `pg` client class for the pool that runs parameterised text queries (how Kysely sends every
 * statement) as named prepared statements when `names` gives them a name.
 */
export function preparingClient(names: StatementNames): typeof pg.Client {
  class PreparingClient extends pg.Client {}
  const query = pg.Client.prototype.query as (this: pg.Client, ...args: unknown[]) => unknown;
  // pg's overloads cannot be restated one by one: other calls pass through unchanged.
  PreparingClient.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    const [text, values, callback] = args;
    if (typeof text === 'string' && Array.isArray(values) && callback === undefined) {
      const name = names.nameOf(text);
      if (name !== undefined) {
        return (query.call(this, { name, text, values }) as Promise<unknown>).catch((error: unknown) => {
          if (!isStalePlan(error)) throw error;
          return query.call(this, { name: names.renew(text), text, values });
        });
      }
    }
    return query.apply(this, args);
  } as pg.Client['query'];
  return PreparingClient;
}

/**
 * A migration changed the columns a prepared statement returns (a rolling deploy's new version
 * adding one, say): PostgreSQL refuses to run the old plan rather than re-plan it.
 */
function isStalePlan(error: unknown): boolean {
  const { code, message } = error as { code?: unknown; message?: unknown };
  return code === '0A000' && typeof message === 'string' && message.includes('cached plan must not change result type');
}
