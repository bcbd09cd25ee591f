import type { ReadModelTx, ReadStreamOptions, StoredEvent } from '@small-steps/event-store';

/** Whose personal data a value is: a pupil, a retention class, and the pupil's LA. */
export interface PersonalSubject {
  id: string;
  class: 'records' | 'register';
  tenant: string;
}

/**
 * How read models keep personal fields at rest: sealed under their pupil's key, so that erasing the
 * pupil (destroying the key) reaches the read models too, and a UPN only as a keyed hash. The
 * application gives the real one; {@link plainCipher} keeps values as they are (a store without a
 * master key, for measuring the cost of encryption).
 */
export interface PersonalCipher {
  /** Keys are read and made through `tx` when it can read (inside a transaction: one connection). */
  seal(subject: PersonalSubject, value: unknown, tx?: ReadModelTx): Promise<unknown>;
  /** The value as readers see it: opened, `[erased]` in every leaf once the key is gone, or as it is. */
  open(value: unknown, tx?: ReadModelTx): Promise<unknown>;
  keyedHash(tenant: string, purpose: string, value: string, tx?: ReadModelTx): Promise<string>;
  /** Those of these pupils whose key of one of these classes was destroyed: nothing more is recorded about them. */
  erasedAmong(ids: readonly string[], classes: readonly PersonalSubject['class'][]): Promise<ReadonlySet<string>>;
}

export const plainCipher: PersonalCipher = {
  seal: async (_subject, value) => value,
  open: async (value) => value,
  keyedHash: async (_tenant, _purpose, value) => value,
  erasedAmong: async () => new Set(),
};

/**
 * A stream reader through a read model transaction that opens each event's personal part, as the
 * application's store does for reads outside one.
 */
export const openedReader =
  (tx: ReadModelTx, cipher: PersonalCipher) =>
  async (streamId: string, options: ReadStreamOptions): Promise<StoredEvent[]> =>
    Promise.all(
      (await tx.readStream(streamId, options)).map(async (event) =>
        event.personal === null
          ? event
          : { ...event, personal: (await cipher.open(event.personal, tx)) as Record<string, unknown> },
      ),
    );
