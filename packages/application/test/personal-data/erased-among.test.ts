import { randomBytes, randomUUID } from 'node:crypto';
import { type TestStore, testDatabases } from '@small-steps/event-store/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { masterKeyFrom } from '../../src/personal-data/master-key.ts';
import { PersonalDataVault } from '../../src/personal-data/personal-data-vault.ts';
import { migrations } from '../../src/storage.ts';

const [pglite] = await testDatabases();
const master = masterKeyFrom(randomBytes(32).toString('base64'), 'test');
const subject = (id: string, retention: 'records' | 'register' = 'records') => ({
  id,
  class: retention,
  tenant: '801',
});

describe('PersonalDataVault.erasedAmong', () => {
  let test: TestStore;
  beforeAll(async () => {
    test = await pglite!.create({ extraMigrations: migrations });
  });
  afterAll(async () => test?.dispose());

  it('names, among many pupils, those with a key of the classes asked destroyed', async () => {
    const vault = new PersonalDataVault(test.db, master);
    const [kept, erased, registerErased, keyless] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    for (const id of [kept, erased, registerErased]) await vault.seal(subject(id), { name: 'Someone' });
    await vault.seal(subject(registerErased, 'register'), { reason: 'Ill' });
    await vault.destroyKey(subject(erased), new Date()).execute(test.db);
    await vault.destroyKey(subject(registerErased, 'register'), new Date()).execute(test.db);
    vault.forget(subject(erased));
    vault.forget(subject(registerErased, 'register'));

    const all = [kept, erased, registerErased, keyless];
    expect(await vault.erasedAmong(all, ['records'])).toEqual(new Set([erased]));
    expect(await vault.erasedAmong(all, ['records', 'register'])).toEqual(new Set([erased, registerErased]));
    expect(await vault.isErased(subject(keyless))).toBe(false);
  });

  it('answers from the keys it holds, so a key destroyed elsewhere counts once it lets go of it', async () => {
    const here = new PersonalDataVault(test.db, master);
    const elsewhere = new PersonalDataVault(test.db, master);
    const id = randomUUID();
    await elsewhere.seal(subject(id), { name: 'Someone' });
    // The answer is held, as a key read for sealing would be.
    expect(await here.erasedAmong([id], ['records'])).toEqual(new Set());
    await elsewhere.destroyKey(subject(id), new Date()).execute(test.db);
    expect(await here.erasedAmong([id], ['records'])).toEqual(new Set());
    here.forget(subject(id));
    expect(await here.erasedAmong([id], ['records'])).toEqual(new Set([id]));
    expect(
      (
        await sql<{ n: number }>`select count(*)::int as n from personal_data_keys where destroyed_at is not null
        and subject = ${id}::uuid`.execute(test.db)
      ).rows[0]!.n,
    ).toBe(1);
  });
});
