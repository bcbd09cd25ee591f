import type { Principal } from '@small-steps/domain';
import { type TestStore, testDatabases } from '@small-steps/event-store/testing';
import { plainCipher } from '@small-steps/projections';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Answer, CommandResult } from '../../src/commands/command-result.ts';
import { IdempotencyRecords } from '../../src/commands/idempotency.ts';
import { IdempotentLoop } from '../../src/commands/idempotent-loop.ts';
import { migrations } from '../../src/storage.ts';

const [pglite] = await testDatabases();
const officer: Principal = { id: 'officer-1', role: 'la_officer', tenant: '801' };
const answer: Answer = { status: 201, body: { pupilId: 'p-1' }, etag: '"1"' };
const accepted: CommandResult = { outcome: 'accepted', answer };
const request = (key: string, requestHash = 'hash-a') => ({ key, requestHash });

describe('the idempotent loop', () => {
  let test: TestStore;
  let records: IdempotencyRecords;
  let loop: IdempotentLoop;
  beforeAll(async () => {
    test = await pglite!.create({ extraMigrations: migrations });
    records = new IdempotencyRecords(test.db, plainCipher);
    loop = new IdempotentLoop(records);
  });
  afterAll(async () => test?.dispose());

  it('given an answer recorded under the key, when the request comes again, then it answers it again without trying', async () => {
    await records.save(officer, request('recorded'), answer);
    let tries = 0;
    const result = await loop.run(officer, request('recorded'), async () => {
      tries++;
      return accepted;
    });
    expect(result).toEqual({ outcome: 'replayed', answer });
    expect(tries).toBe(0);
  });

  it('given an auditor, when they send a command by any door, then it is refused without being tried', async () => {
    const auditor: Principal = { id: 'auditor-1', role: 'auditor', tenant: '801' };
    let tries = 0;
    const result = await loop.run(auditor, undefined, async () => {
      tries++;
      return accepted;
    });
    expect(result).toMatchObject({ outcome: 'refused', refusal: 'forbidden' });
    expect(tries).toBe(0);
  });

  it('given the key recorded for another request, when it is sent, then the key is refused as reused', async () => {
    await records.save(officer, request('other', 'hash-a'), answer);
    const result = await loop.run(officer, request('other', 'hash-b'), async () => accepted);
    expect(result).toMatchObject({ outcome: 'refused', refusal: 'idempotency-key-reused' });
  });

  it('given the same request in flight, when it comes again, then it is in progress; another request under the key is refused', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const first = loop.run(officer, request('in-flight'), async () => {
      await held;
      return accepted;
    });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(await loop.run(officer, request('in-flight'), async () => accepted)).toMatchObject({
      outcome: 'conflict',
      conflict: 'in-progress',
    });
    expect(await loop.run(officer, request('in-flight', 'hash-b'), async () => accepted)).toMatchObject({
      outcome: 'refused',
      refusal: 'idempotency-key-reused',
    });
    release();
    expect(await first).toEqual(accepted);
  });

  it('given a lost race, when the answer was recorded by the winner, then it answers the winner’s answer', async () => {
    let tries = 0;
    const result = await loop.run(officer, request('raced'), async () => {
      tries++;
      await records.save(officer, request('raced'), answer);
      return 'again';
    });
    expect(result).toEqual({ outcome: 'replayed', answer });
    expect(tries).toBe(1);
  });

  it('given a refusal, when another replica recorded an answer under the key meanwhile, then the answer wins', async () => {
    const result = await loop.run(officer, request('refused-late'), async () => {
      await records.save(officer, request('refused-late'), answer);
      return { outcome: 'rejected', rule: 'pupil-exists', reason: 'decided on the state the first request made' };
    });
    expect(result).toEqual({ outcome: 'replayed', answer });
  });

  it('given races lost every time, when it gives up, then it is a version conflict, and without a key it tries the same', async () => {
    let tries = 0;
    const again = async () => {
      tries++;
      return 'again' as const;
    };
    expect(await loop.run(officer, undefined, again)).toMatchObject({
      outcome: 'conflict',
      conflict: 'version-conflict',
    });
    expect(tries).toBe(3);
  });
});
