/**
 * A map that keeps the entries used lately: at least the last `capacity` keys used, as a strict LRU
 * of that capacity would, and at most twice as many. Entries go into a current generation of
 * `capacity` keys; when it is full it becomes the old generation, and the old one before it is
 * dropped whole. An entry read from the old generation moves to the current one, so an entry is
 * forgotten only when neither of the last two generations used it. With no more keys in use than
 * the capacity, nothing is ever dropped, so a pass over every key (the caseload alerts over every
 * open plan) finds all it found the time before.
 *
 * A strict LRU deleted and re-inserted its entry on every read. Each delete leaves a hole in the
 * `Map`'s table and the table is rebuilt when holes fill it, so a cache read on every command made
 * new tables all the time, long-lived enough to reach the old generation: an eighth of the bytes
 * promoted per attempt at 500 attempts/s. Here a read changes nothing.
 */
export class LruCache<K, V> {
  #current = new Map<K, V>();
  #old = new Map<K, V>();
  readonly #generation: number;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity ${capacity}: at least 1`);
    this.#generation = capacity;
  }

  get(key: K): V | undefined {
    const value = this.#current.get(key);
    if (value !== undefined) return value;
    const old = this.#old.get(key);
    if (old !== undefined) this.#add(key, old);
    return old;
  }

  set(key: K, value: V): void {
    if (this.#current.has(key)) this.#current.set(key, value);
    else this.#add(key, value);
  }

  delete(key: K): void {
    this.#current.delete(key);
    this.#old.delete(key);
  }

  // A copy left in the old generation is shadowed by the current one and dropped with its generation.
  #add(key: K, value: V): void {
    if (this.#current.size >= this.#generation) {
      this.#old = this.#current;
      this.#current = new Map();
    }
    this.#current.set(key, value);
  }
}
