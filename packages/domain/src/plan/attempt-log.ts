import type { Attempt } from './plan-record.ts';

/** Attempts per shared chunk: appending copies at most this many references. */
const CHUNK = 32;

/**
 * A step's attempts, oldest first: an append-only list whose appends share every full chunk with
 * the list they came from. A plan state is never changed, only followed by a new one; with an array,
 * each attempt copied the step's whole history, so recording one cost more the longer a step was
 * practised, and the copies, kept between commands with the remembered state, lived long enough to
 * reach the garbage collector's old generation. Reads answer arrays, as the array did.
 */
export class AttemptLog implements Iterable<Attempt> {
  static readonly empty: AttemptLog = new AttemptLog([], []);

  /** Full chunks of {@link CHUNK} attempts each, oldest first, shared with every later log. */
  readonly chunks: readonly (readonly Attempt[])[];
  /** The attempts after the full chunks, fewer than {@link CHUNK}. */
  readonly tail: readonly Attempt[];
  readonly length: number;

  private constructor(chunks: readonly (readonly Attempt[])[], tail: readonly Attempt[]) {
    this.chunks = chunks;
    this.tail = tail;
    this.length = chunks.length * CHUNK + tail.length;
  }

  /** A log of the attempts given, in their order. */
  static of(attempts: Iterable<Attempt>): AttemptLog {
    let log = AttemptLog.empty;
    for (const attempt of attempts) log = log.append(attempt);
    return log;
  }

  /** This log with `attempt` after the rest: it copies at most {@link CHUNK} references. */
  append(attempt: Attempt): AttemptLog {
    const tail = [...this.tail, attempt];
    return tail.length < CHUNK ? new AttemptLog(this.chunks, tail) : new AttemptLog([...this.chunks, tail], []);
  }

  /** The attempt at `index`, counting back from the end when negative, as `Array.prototype.at`. */
  at(index: number): Attempt | undefined {
    const i = Math.trunc(index) + (index < 0 ? this.length : 0);
    if (i < 0 || i >= this.length) return undefined;
    const full = this.chunks.length * CHUNK;
    return i < full ? this.chunks[Math.floor(i / CHUNK)]![i % CHUNK] : this.tail[i - full];
  }

  /** The attempts from `start` to before `end`, as `Array.prototype.slice`: only those are visited. */
  slice(start = 0, end = this.length): Attempt[] {
    const from = Math.max(0, start < 0 ? this.length + start : Math.min(start, this.length));
    const to = Math.min(this.length, end < 0 ? this.length + end : end);
    const slice: Attempt[] = [];
    for (let i = from; i < to; i++) slice.push(this.at(i)!);
    return slice;
  }

  filter(keep: (attempt: Attempt) => boolean): Attempt[] {
    const kept: Attempt[] = [];
    for (const attempt of this) if (keep(attempt)) kept.push(attempt);
    return kept;
  }

  toArray(): Attempt[] {
    return [...this];
  }

  /** Serialised as the array it stands for. */
  toJSON(): Attempt[] {
    return this.toArray();
  }

  *[Symbol.iterator](): Iterator<Attempt> {
    for (const chunk of this.chunks) yield* chunk;
    yield* this.tail;
  }
}
