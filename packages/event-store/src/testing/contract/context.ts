import { afterAll, beforeAll, describe } from 'vitest';
import type { EventStore } from '../../event-store.ts';
import type { TamperHooks, TestStore, TestStoreHook, TestStoreOptions } from '../test-databases.ts';

/** What the contract suite needs of a store opened for it: no SQL, so any adapter can offer it. */
export type ContractTestStore = Pick<TestStore, 'store' | 'another' | 'tamper' | 'dispose'>;

/**
 * Where the contract suite gets its stores. {@link TestStoreFactory} is one; an adapter without SQL
 * (KurrentDB) supplies its own, with the flags and hooks it can honour.
 */
export interface EventStoreContractFactory {
  name: string;
  /** Why the whole suite is skipped on this store, or null when it runs. */
  skipReason: string | null;
  /** True when the store has a single connection: tests of concurrent writers are skipped. */
  isSingleConnection?: boolean;
  /** True when the store cannot commit writes with its events: `inline` must be refused instead. */
  refusesInlineWork?: boolean;
  /**
   * False when the store finds a stored event id only in the stream appended to (KurrentDB has no
   * index by event id): the tests of an id stored in another stream are skipped. Default true.
   */
  indexesEventIds?: boolean;
  /** The optional hooks every store it creates offers; parts that need one it lacks are skipped. */
  hooks?: readonly TestStoreHook[];
  create(options?: Pick<TestStoreOptions, 'poolSize'>): Promise<ContractTestStore>;
}

/** A store one part of the suite opens before its tests and disposes after them. */
export interface OpenedStore {
  readonly store: EventStore;
  /** Another store on the same database, sharing nothing in memory with the first (another process). */
  another(): EventStore;
  /** The tamper hook; only parts registered for a factory that lists it may use it. */
  readonly tamper: TamperHooks;
}

/** Opens a fresh store for the enclosing `describe` block; its properties are read inside tests. */
export function openStore(
  factory: EventStoreContractFactory,
  options: Pick<TestStoreOptions, 'poolSize'> = {},
): OpenedStore {
  let opened: ContractTestStore | undefined;
  beforeAll(async () => {
    opened = await factory.create(options);
    for (const hook of factory.hooks ?? []) {
      if (opened[hook] === undefined)
        throw new Error(`${factory.name} lists the ${hook} hook, but its store has none.`);
    }
  }, 120_000);
  afterAll(async () => {
    await opened?.dispose();
  });
  const current = (): ContractTestStore => {
    if (opened === undefined) throw new Error('The store is opened before the tests of its block run.');
    return opened;
  };
  return {
    get store() {
      return current().store;
    },
    another: () => current().another(),
    get tamper() {
      const { tamper } = current();
      if (tamper === undefined) throw new Error(`${factory.name} offers no tamper hook.`);
      return tamper;
    },
  };
}

/** Why a part that needs `hook` cannot run on this factory's stores, or null when it can. */
export function missingHook(factory: EventStoreContractFactory, hook: TestStoreHook): string | null {
  return factory.hooks?.includes(hook) ? null : `${factory.name} offers no ${hook} hook`;
}

/** Why a part with concurrent writers cannot run on this factory's stores, or null when it can. */
export function singleConnection(factory: EventStoreContractFactory): string | null {
  return factory.isSingleConnection
    ? `${factory.name} has one connection, so there are no concurrent transactions to test`
    : null;
}

/** `describe`, or a skipped one whose title gives the reason. */
export function describeUnless(skipReason: string | null, title: string, suite: () => void): void {
  describe.skipIf(skipReason !== null)(skipReason === null ? title : `${title} (SKIPPED: ${skipReason})`, suite);
}

/** Whether the factory's stores find an event id stored in any stream. */
export const indexesEventIds = (factory: EventStoreContractFactory): boolean => factory.indexesEventIds ?? true;

/** A test title, marked with why it is skipped when the factory's stores have no index by event id. */
export const withoutIdIndex = (factory: EventStoreContractFactory, title: string): string =>
  indexesEventIds(factory) ? title : `${title} (SKIPPED: ${factory.name} has no index by event id)`;

/** Stream names unique within a store: `name-1`, `name-2`, … */
export function streamNames(): (name: string) => string {
  let streams = 0;
  return (name) => `${name}-${++streams}`;
}

/** Resolves after `ms` milliseconds. */
export const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
