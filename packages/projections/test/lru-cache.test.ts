import { describe, expect, it } from 'vitest';
import { LruCache } from '../src/lru-cache.ts';

const filled = (capacity: number, keys: number[]) => {
  const cache = new LruCache<number, string>(capacity);
  for (const key of keys) cache.set(key, `v${key}`);
  return cache;
};
const kept = (cache: LruCache<number, string>, keys: number[]) => keys.filter((key) => cache.get(key) !== undefined);

describe('an LRU cache', () => {
  it('answers what was set, the latest value of a key, and nothing for a key deleted or never set', () => {
    const cache = filled(8, [1, 2]);
    cache.set(1, 'again');
    cache.delete(2);
    expect([cache.get(1), cache.get(2), cache.get(3)]).toEqual(['again', undefined, undefined]);
  });

  it('keeps the last `capacity` keys set, and forgets those set before the last twice its capacity', () => {
    const keys = Array.from({ length: 40 }, (_, i) => i);
    const cache = filled(8, keys);
    expect(kept(cache, keys.slice(0, 24))).toEqual([]);
    expect(kept(cache, keys.slice(32))).toEqual(keys.slice(32));
  });

  it('never holds more than twice its capacity, however keys are read and set', () => {
    const cache = new LruCache<number, string>(5);
    for (let i = 0; i < 1000; i++) {
      cache.set((i * 7) % 23, `v${i}`);
      cache.get((i * 5) % 23);
    }
    expect(
      kept(
        cache,
        Array.from({ length: 23 }, (_, i) => i),
      ).length,
    ).toBeLessThanOrEqual(10);
  });

  it('forgets none of its keys while no more are in use than its capacity, however often they are passed over', () => {
    const keys = Array.from({ length: 100 }, (_, i) => i);
    const cache = filled(100, keys);
    for (let pass = 0; pass < 5; pass++) for (const key of [...keys].reverse()) cache.set(key, `pass ${pass}`);
    expect(keys.map((key) => cache.get(key))).toEqual(keys.map(() => 'pass 4'));
  });

  it('keeps a key read lately while keys set after it are forgotten', () => {
    const cache = filled(8, [0, 1, 2, 3, 4, 5, 6, 7]);
    for (let key = 8; key < 100; key++) {
      cache.get(0);
      cache.set(key, `v${key}`);
    }
    expect(cache.get(0)).toBe('v0');
    expect(cache.get(8)).toBeUndefined();
  });

  it('forgets the least recently used first: a key not used while twice its capacity of others were is gone', () => {
    const cache = filled(8, [0, 1, 2, 3]);
    cache.get(0);
    for (let key = 10; key < 26; key++) cache.set(key, `v${key}`);
    expect(kept(cache, [0, 1, 2, 3])).toEqual([]);
  });

  it('does not answer a value deleted after it was moved from the older entries', () => {
    const cache = filled(4, [1, 2, 3, 4]);
    expect(cache.get(1)).toBe('v1');
    cache.delete(1);
    expect(cache.get(1)).toBeUndefined();
    cache.set(5, 'v5');
    cache.set(6, 'v6');
    expect(cache.get(1)).toBeUndefined();
  });

  it('refuses a capacity it cannot keep', () => {
    expect(() => new LruCache(0)).toThrow(RangeError);
    expect(() => new LruCache(2.5)).toThrow(RangeError);
  });
});
