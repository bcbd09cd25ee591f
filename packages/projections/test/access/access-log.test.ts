import { type TestStore, testDatabases } from '@small-steps/event-store/testing';
import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessLog, type Reader, readModelMigrations } from '../../src/index.ts';

const databases = (await testDatabases()).filter((d) => d.skipReason === null);

const officer: Reader = {
  id: 'officer-1',
  role: 'la_officer',
  tenant: '801',
  access: { route: '/v1/pupils/:pupilId', reason: 'Annual review' },
};
const laSystem: Reader = { ...officer, id: 'system-1', role: 'la_system' };
const at = new Date('2026-11-02T09:30:00.000Z');
let serial = 0;
const pupilId = () => `22222222-2222-4222-8222-${String(++serial).padStart(12, '0')}`;

describe.each(databases)('the access log on $name', (factory) => {
  let test: TestStore;
  beforeAll(async () => {
    test = await factory.create({ extraMigrations: readModelMigrations });
  });
  afterAll(async () => test?.dispose());

  const rowsFor = (pupil: string) =>
    sql<{ actor_id: string; route: string; reason: string | null; at: Date }>`
      select actor_id, route, reason, at from access_log where pupil_id = ${pupil}::uuid`
      .execute(test.db)
      .then((result) => result.rows);
  /**
   * Runs `work` on one connection committing as the service's do (the test databases may not wait
   * for the disk), and tells how that connection commits afterwards.
   */
  async function onOneConnection(work: (db: Kysely<object>) => Promise<void>) {
    return test.db.connection().execute(async (db) => {
      await sql`set synchronous_commit = on`.execute(db);
      await work(db);
      const { rows } = await sql<{ synchronous_commit: string }>`show synchronous_commit`.execute(db);
      await sql`reset synchronous_commit`.execute(db);
      return rows[0]!.synchronous_commit;
    });
  }

  it('commits a read of one record with its row, seen by another connection once the read returns', async () => {
    const pupil = pupilId();
    const log = new AccessLog(test.db, () => at);
    const row = await log.readRecorded(
      officer,
      undefined,
      test.db.selectNoFrom(sql<string>`${pupil}::uuid`.as('pupil_id')),
    );
    expect(row).toEqual({ pupil_id: pupil });
    expect(await rowsFor(pupil)).toEqual([
      { actor_id: 'officer-1', route: '/v1/pupils/:pupilId', reason: 'Annual review', at },
    ]);
  });

  it('writes nothing for a read that found nothing, nor for a machine read', async () => {
    const pupil = pupilId();
    const log = new AccessLog(test.db, () => at);
    const nothing = test.db.selectNoFrom(sql<string>`${pupil}::uuid`.as('pupil_id')).where(sql<boolean>`false`);
    expect(await log.readRecorded(officer, undefined, nothing)).toBeUndefined();
    await log.readRecorded(laSystem, undefined, test.db.selectNoFrom(sql<string>`${pupil}::uuid`.as('pupil_id')));
    await log.record(laSystem, [{ pupilId: pupil }]);
    expect(await rowsFor(pupil)).toEqual([]);
  });

  it('writes the rows of many reads made at once, each pupil once per read', async () => {
    const pupils = Array.from({ length: 40 }, pupilId);
    const log = new AccessLog(test.db, () => at);
    await Promise.all(
      pupils.map((pupil) =>
        log.record({ ...officer, access: { route: '/v1/pupils' } }, [{ pupilId: pupil }, { pupilId: pupil }]),
      ),
    );
    for (const pupil of pupils) {
      expect(await rowsFor(pupil)).toEqual([{ actor_id: 'officer-1', route: '/v1/pupils', reason: null, at }]);
    }
  });

  // The rows commit without waiting for the disk flush; that must stay with their own statement,
  // never reach the pooled connection's later commits (an event's append among them).
  it('leaves the connection waiting for the disk on its later commits', async () => {
    const pupil = pupilId();
    const read = await onOneConnection(async (db) => {
      await new AccessLog(db, () => at).readRecorded(
        officer,
        undefined,
        db.selectNoFrom(sql<string>`${pupil}::uuid`.as('pupil_id')),
      );
    });
    const recorded = await onOneConnection((db) => new AccessLog(db, () => at).record(officer, [{ pupilId: pupil }]));
    expect(read).toBe('on');
    expect(recorded).toBe('on');
    expect(await rowsFor(pupil)).toHaveLength(2);
  });
});
