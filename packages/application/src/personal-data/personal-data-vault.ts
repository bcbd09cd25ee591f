import { createHmac, randomBytes } from 'node:crypto';
import { ERASED } from '@small-steps/domain';
import { LruCache } from '@small-steps/projections';
import { type Kysely, type RawBuilder, sql } from 'kysely';
import { seal, unseal } from './key-wrap.ts';
import type { MasterKey } from './master-key.ts';
import type { PersonalDataKeysSchema } from './personal-data-migrations.ts';

/**
 * Retention classes (docs/domain.md §7): register data (attendance) and SEN and plan records expire
 * at different times, so each has a key of its own per pupil.
 */
export type RetentionClass = 'records' | 'register';

/** Whose personal data a value is, and which class it belongs to. */
export interface Subject {
  /** The pupil's id. */
  id: string;
  class: RetentionClass;
  tenant: string;
}

export { ERASED };

/**
 * A personal value as stored: sealed with its subject's data key (AES-256-GCM, the subject and class
 * bound in as associated data). `shape` is the value with every leaf blanked (0, or null where the
 * value was null): it is what an erased value reads as, with each leaf `[erased]`, and it reveals
 * only which fields there were.
 */
export interface Sealed {
  sealed: 1;
  subject: string;
  class: RetentionClass;
  data: string;
  shape: unknown;
}

const KEY_BYTES = 32;
const CACHE_MS = 30_000;
const RECENT_VALUES = 4_000;
// Two register uploads of 5,000 pupils, each pupil asked for both classes.
const LIVE_ANSWERS = 20_000;

/** Sealed values and their plain text, both ways, for a while: at most `capacity`, least recent dropped first. */
class RecentValues {
  readonly #bySealed = new Map<string, { aad: string; text: string; until: number }>();
  readonly #byText = new Map<string, { sealed: Sealed; until: number }>();
  readonly #capacity: number;
  readonly #ttl: number;

  constructor(capacity: number, ttlMs: number) {
    this.#capacity = capacity;
    this.#ttl = ttlMs;
  }

  textOf(aad: string, data: string): string | undefined {
    const entry = this.#bySealed.get(data);
    return entry !== undefined && entry.aad === aad && entry.until > Date.now() ? entry.text : undefined;
  }

  sealedOf(aad: string, text: string): Sealed | undefined {
    const entry = this.#byText.get(`${aad}\u0000${text}`);
    return entry !== undefined && entry.until > Date.now() ? entry.sealed : undefined;
  }

  remember(aad: string, text: string, sealed: Sealed): void {
    const until = Date.now() + this.#ttl;
    this.#bySealed.set(sealed.data, { aad, text, until });
    this.#byText.set(`${aad}\u0000${text}`, { sealed, until });
    for (const map of [this.#bySealed, this.#byText] as Map<string, unknown>[]) {
      while (map.size > this.#capacity) map.delete(map.keys().next().value!);
    }
  }

  forget(aad: string): void {
    for (const [data, entry] of this.#bySealed) if (entry.aad === aad) this.#bySealed.delete(data);
    for (const key of this.#byText.keys()) if (key.startsWith(`${aad}\u0000`)) this.#byText.delete(key);
  }
}

/**
 * Runs a statement and gives its rows. Inside a transaction key reads and writes must go through it
 * (an embedded database has one connection, which the transaction holds).
 */
export type SqlRunner = <Row>(statement: RawBuilder<Row>) => Promise<Row[]>;

export const isSealed = (value: unknown): value is Sealed =>
  typeof value === 'object' && value !== null && (value as { sealed?: unknown }).sealed === 1;

const shapeOf = (value: unknown): unknown => {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return value.map(shapeOf);
  if (typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shapeOf(v)]));
  return 0;
};

const erasedFrom = (shape: unknown): unknown => {
  if (shape === null) return null;
  if (Array.isArray(shape)) return shape.map(erasedFrom);
  if (typeof shape === 'object') return Object.fromEntries(Object.entries(shape).map(([k, v]) => [k, erasedFrom(v)]));
  return ERASED;
};

const aadOf = (subject: string, retention: string) => `${subject}|${retention}`;

const isAllErased = (value: unknown): boolean => {
  if (value === null || value === undefined || value === ERASED) return true;
  if (Array.isArray(value)) return value.every(isAllErased);
  if (typeof value === 'object') return Object.values(value).every(isAllErased);
  return false;
};

/**
 * Personal data at rest: each pupil's personal fields sealed with a data key of their own per
 * retention class, each data key wrapped by the master key from configuration. Destroying a data key
 * (erasure) makes every value sealed with it read `[erased]`, in the log and in every read model,
 * while what is stored (and so every hash over it) stays as it was. Keys are cached for 30 s, so a
 * key destroyed in another process stops opening values here within that time.
 */
export class PersonalDataVault {
  readonly #db: Kysely<PersonalDataKeysSchema>;
  readonly #master: MasterKey;
  readonly #previous: readonly MasterKey[];
  readonly #keys = new Map<string, { key: Buffer | null; until: number }>();
  /**
   * Values sealed or opened lately, both ways (sealing is deterministic): a view sealed again
   * unchanged, or an event opened just after it was sealed, costs a lookup, not a cipher. Entries
   * live no longer than keys are cached, and go with their subject's key.
   */
  readonly #recent = new RecentValues(RECENT_VALUES, CACHE_MS);
  /** Subjects and classes {@link erasedAmong} found with no destroyed key, until when that answer holds. */
  readonly #liveUntil = new LruCache<string, number>(LIVE_ANSWERS);

  /** `previous`: master keys rotated out, still accepted for keys not yet re-wrapped. */
  constructor(db: Kysely<object>, master: MasterKey, previous: readonly MasterKey[] = []) {
    this.#db = db.withTables<PersonalDataKeysSchema>();
    this.#master = master;
    this.#previous = previous;
  }

  /**
   * The value sealed under its subject's key (made on first use). Once the key is destroyed only a
   * value with nothing left to hide (every leaf `[erased]`, as replaying an erased pupil's events
   * gives) is kept, as it is; anything else is an {@link ErasedSubject}.
   */
  async seal(subject: Subject, value: unknown, via?: SqlRunner): Promise<Sealed | unknown> {
    const key = await this.#keyFor(subject, { create: true, via });
    if (key === null) {
      if (isAllErased(value)) return value;
      throw new ErasedSubject(subject);
    }
    const text = JSON.stringify(value);
    const aad = aadOf(subject.id, subject.class);
    const known = this.#recent.sealedOf(aad, text);
    if (known !== undefined) return known;
    const sealedValue: Sealed = {
      sealed: 1,
      subject: subject.id,
      class: subject.class,
      data: seal(key, Buffer.from(text, 'utf8'), aad, { deterministic: true }).toString('base64'),
      shape: shapeOf(value),
    };
    this.#recent.remember(aad, text, sealedValue);
    return sealedValue;
  }

  /** A stored value as readers see it: opened, `[erased]` in every leaf once its key is gone, or as it is when not sealed. */
  async open(value: unknown, via?: SqlRunner): Promise<unknown> {
    if (!isSealed(value)) return value;
    const aad = aadOf(value.subject, value.class);
    const known = this.#recent.textOf(aad, value.data);
    if (known !== undefined) return JSON.parse(known);
    const key = await this.#keyFor({ id: value.subject, class: value.class }, { via });
    if (key === null) return erasedFrom(value.shape);
    const text = unseal(key, Buffer.from(value.data, 'base64'), aad).toString('utf8');
    this.#recent.remember(aad, text, value);
    return JSON.parse(text);
  }

  /**
   * The statement that destroys the subject's key, to send with the append that records the
   * erasure; call {@link forget} once it is committed.
   */
  destroyKey(subject: Subject, at: Date): RawBuilder<unknown> {
    // A class with no key yet still gets its row, destroyed: nothing can be sealed under it later,
    // and the erasure shows in the table as for any other.
    return sql`insert into personal_data_keys (subject, class, tenant, destroyed_at)
      values (${subject.id}::uuid, ${subject.class}, ${subject.tenant}, ${at.toISOString()}::timestamptz)
      on conflict (subject, class) do update set wrapped = null, master_key_id = null,
        destroyed_at = coalesce(personal_data_keys.destroyed_at, excluded.destroyed_at)`;
  }

  /** Drops a cached key (after this process destroyed it). */
  forget(subject: Pick<Subject, 'id' | 'class'>): void {
    this.#keys.delete(aadOf(subject.id, subject.class));
    this.#recent.forget(aadOf(subject.id, subject.class));
    this.#liveUntil.delete(aadOf(subject.id, subject.class));
  }

  /** Whether the subject's key of that class has been destroyed. */
  async isErased(subject: Pick<Subject, 'id' | 'class'>): Promise<boolean> {
    return (await this.erasedAmong([subject.id], [subject.class])).has(subject.id);
  }

  /**
   * Those of these pupils with a key of one of these classes destroyed, in one read. A key this
   * process holds, or an answer it read in the last 30 s, answers without one (so, as for sealing, a
   * key destroyed by another process counts here within 30 s): a plan's commands ask the store once
   * per 30 s, an upload once for its pupils.
   */
  async erasedAmong(ids: readonly string[], classes: readonly RetentionClass[]): Promise<Set<string>> {
    const now = Date.now();
    const isKnownLive = (aad: string) => {
      const cached = this.#keys.get(aad);
      return (
        (cached !== undefined && cached.until > now && cached.key !== null) || (this.#liveUntil.get(aad) ?? 0) > now
      );
    };
    const unknown = [...new Set(ids)].filter((id) => !classes.every((retention) => isKnownLive(aadOf(id, retention))));
    if (unknown.length === 0) return new Set();
    const rows = await this.#db
      .selectFrom('personal_data_keys')
      .select('subject')
      .distinct()
      .where(sql<boolean>`subject = any(${unknown}::uuid[])`)
      .where(sql<boolean>`class = any(${classes}::text[])`)
      .where('destroyed_at', 'is not', null)
      .execute();
    const erased = new Set(rows.map((row) => row.subject));
    for (const id of unknown) {
      if (erased.has(id)) continue;
      for (const retention of classes) this.#liveUntil.set(aadOf(id, retention), now + CACHE_MS);
    }
    return erased;
  }

  /**
   * A keyed hash (HMAC-SHA-256) of a value under the tenant's key for `purpose`: it can be indexed
   * and looked up, but not read back or tried against guesses without the key.
   */
  async keyedHash(tenant: string, purpose: string, value: string, via?: SqlRunner): Promise<string> {
    const key = await this.#tenantKey(tenant, purpose, via);
    return createHmac('sha256', key).update(value, 'utf8').digest('hex');
  }

  /** Re-wraps every key wrapped by an earlier master key with the current one; returns how many. */
  async rewrapKeys(): Promise<number> {
    let count = 0;
    const subjects = await this.#db
      .selectFrom('personal_data_keys')
      .select(['subject', 'class', 'master_key_id', 'wrapped'])
      .where('wrapped', 'is not', null)
      .where('master_key_id', '<>', this.#master.id)
      .execute();
    for (const row of subjects) {
      const key = this.#unwrap(row.master_key_id!, row.wrapped!, aadOf(row.subject, row.class));
      await this.#db
        .updateTable('personal_data_keys')
        .set({ wrapped: this.#wrap(key, aadOf(row.subject, row.class)), master_key_id: this.#master.id })
        .where('subject', '=', row.subject)
        .where('class', '=', row.class)
        .execute();
      count++;
    }
    const tenants = await this.#db
      .selectFrom('tenant_keys')
      .selectAll()
      .where('master_key_id', '<>', this.#master.id)
      .execute();
    for (const row of tenants) {
      const aad = `tenant|${row.tenant}|${row.purpose}`;
      const key = this.#unwrap(row.master_key_id, row.wrapped, aad);
      await this.#db
        .updateTable('tenant_keys')
        .set({ wrapped: this.#wrap(key, aad), master_key_id: this.#master.id })
        .where('tenant', '=', row.tenant)
        .where('purpose', '=', row.purpose)
        .execute();
      count++;
    }
    return count;
  }

  #run: SqlRunner = async (statement) => (await statement.execute(this.#db)).rows;

  async #keyFor(
    subject: Pick<Subject, 'id' | 'class'> & { tenant?: string },
    { create = false, via = this.#run }: { create?: boolean; via?: SqlRunner | undefined } = {},
  ) {
    const cacheKey = aadOf(subject.id, subject.class);
    const cached = this.#keys.get(cacheKey);
    if (cached !== undefined && cached.until > Date.now()) return cached.key;
    let madeHere = false;
    if (create && subject.tenant !== undefined) {
      const made = await via(sql`insert into personal_data_keys (subject, class, tenant, master_key_id, wrapped)
        values (${subject.id}::uuid, ${subject.class}, ${subject.tenant}, ${this.#master.id},
          ${this.#wrap(randomBytes(KEY_BYTES), cacheKey)})
        on conflict (subject, class) do nothing returning subject`);
      madeHere = made.length > 0;
    }
    const [row] = await via(sql<{ master_key_id: string | null; wrapped: string | null }>`
      select master_key_id, wrapped from personal_data_keys
      where subject = ${subject.id}::uuid and class = ${subject.class}`);
    const key =
      row?.wrapped == null || row.master_key_id === null
        ? null
        : this.#unwrap(row.master_key_id, row.wrapped, cacheKey);
    // A key made inside a caller's transaction is not remembered: the transaction may roll back.
    if (!(madeHere && via !== this.#run)) this.#keys.set(cacheKey, { key, until: Date.now() + CACHE_MS });
    return key;
  }

  async #tenantKey(tenant: string, purpose: string, via: SqlRunner = this.#run): Promise<Buffer> {
    const cacheKey = `tenant|${tenant}|${purpose}`;
    const cached = this.#keys.get(cacheKey);
    if (cached?.key) return cached.key;
    const made = await via(sql`insert into tenant_keys (tenant, purpose, master_key_id, wrapped)
      values (${tenant}, ${purpose}, ${this.#master.id}, ${this.#wrap(randomBytes(KEY_BYTES), cacheKey)})
      on conflict (tenant, purpose) do nothing returning tenant`);
    const [row] = await via(sql<{ master_key_id: string; wrapped: string }>`
      select master_key_id, wrapped from tenant_keys where tenant = ${tenant} and purpose = ${purpose}`);
    if (row === undefined) throw new Error(`The ${purpose} key of tenant ${tenant} could not be made.`);
    const key = this.#unwrap(row.master_key_id, row.wrapped, cacheKey);
    // Tenant keys are never destroyed: kept for the life of the process, once surely committed.
    if (!(made.length > 0 && via !== this.#run)) this.#keys.set(cacheKey, { key, until: Number.POSITIVE_INFINITY });
    return key;
  }

  #wrap(key: Buffer, aad: string): string {
    return seal(this.#master.key, key, aad).toString('base64');
  }

  #unwrap(masterKeyId: string, wrapped: string, aad: string): Buffer {
    const master = [this.#master, ...this.#previous].find((m) => m.id === masterKeyId);
    if (master === undefined) {
      throw new Error(`A data key is wrapped by master key ${masterKeyId}, which is not configured (MASTER_KEY).`);
    }
    return unseal(master.key, Buffer.from(wrapped, 'base64'), aad);
  }
}

/** A value cannot be sealed for a pupil whose key of that class was destroyed. */
export class ErasedSubject extends Error {
  constructor(subject: Pick<Subject, 'id' | 'class'>) {
    super(`The ${subject.class} data of ${subject.id} was erased: nothing more can be recorded under it.`);
    this.name = 'ErasedSubject';
  }
}
