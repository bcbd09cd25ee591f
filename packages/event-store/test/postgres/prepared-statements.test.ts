import { describe, expect, it } from 'vitest';
import { StatementNames } from '../../src/postgres/prepared-statements.ts';

describe('StatementNames', () => {
  it('names a text from its second run on, and always by the same name', () => {
    const names = new StatementNames();
    expect(names.nameOf('select 1')).toBeUndefined();
    const name = names.nameOf('select 1');
    expect(name).toMatch(/^small_steps_\d+$/);
    expect(names.nameOf('select 1')).toBe(name);
  });

  it('gives different texts different names', () => {
    const names = new StatementNames(10, 1);
    expect(names.nameOf('select 1')).not.toBe(names.nameOf('select 2'));
  });

  it('renews a stale name: the text gets a name no connection has prepared yet', () => {
    const names = new StatementNames(10, 1);
    const stale = names.nameOf('select * from pupils');
    const renewed = names.renew('select * from pupils');
    expect(renewed).not.toBe(stale);
    expect(names.nameOf('select * from pupils')).toBe(renewed);
    expect(names.nameOf('select 2')).not.toBe(renewed);
  });

  it('stops naming new texts at its limit, and keeps the names it gave', () => {
    const names = new StatementNames(2, 1);
    const first = names.nameOf('select 1');
    names.nameOf('select 2');
    expect(names.nameOf('select 3')).toBeUndefined();
    expect(names.nameOf('select 1')).toBe(first);
    expect(names.size).toBe(2);
  });
});
