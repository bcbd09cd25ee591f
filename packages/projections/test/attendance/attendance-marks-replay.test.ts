import type { NewEvent } from '@small-steps/event-store';
import { TEST_METADATA, type TestStore, testDatabases } from '@small-steps/event-store/testing';
import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replayRegister } from '../../src/attendance/attendance-marks-replay-migration.ts';
import { AttendanceMarkReads, readModelMigrations } from '../../src/index.ts';

const databases = (await testDatabases()).filter((d) => d.skipReason === null);

const robin = '11111111-1111-4111-8111-111111111111';
const ash = '22222222-2222-4222-8222-222222222222';
let nextId = 0;
const event = (type: string, schemaVersion: number, data: Record<string, unknown>, personal?: object): NewEvent => ({
  id: `00000000-0000-4000-8000-${String(++nextId).padStart(12, '0')}`,
  type,
  schemaVersion,
  data,
  ...(personal ? { personal: personal as Record<string, unknown> } : {}),
  metadata: TEST_METADATA,
});

// Every version of every attendance event ever written, as each was written: version 1 of
// AttendanceRecorded in a stream per pupil and year, version 2 per school and day, and corrections.
describe.each(databases)('the register replayed from a log of every event version on $name', (factory) => {
  let test: TestStore;
  let db: Kysely<object>;
  beforeAll(async () => {
    test = await factory.create({
      extraMigrations: readModelMigrations,
      clock: () => new Date('2026-10-20T09:00:00Z'),
    });
    db = test.db;
    const v1 = await test.store.append(
      `attendance-${robin}-2026`,
      [
        event('AttendanceRecorded', 1, {
          pupilId: robin,
          academicYear: 2026,
          recordedAt: '2026-10-13T16:00:00.000Z',
          marks: [
            { schoolUrn: '100001', date: '2026-10-12', session: 'AM', code: '/' },
            { schoolUrn: '100001', date: '2026-10-12', session: 'PM', code: 'N' },
            { schoolUrn: '100002', date: '2026-10-13', session: 'AM', code: 'B' },
          ],
        }),
      ],
      { expectedVersion: 'no_stream' },
    );
    expect(v1.events).toHaveLength(1);
    await test.store.append(
      'attendance-201-100001-2026-10-13',
      [
        event('AttendanceRecorded', 2, {
          schoolUrn: '100001',
          date: '2026-10-13',
          recordedAt: '2026-10-14T08:00:00.000Z',
          marks: { [robin]: { AM: '/', PM: '/' }, [ash]: { AM: 'L' } },
        }),
      ],
      { expectedVersion: 'no_stream' },
    );
    await test.store.append(
      'attendance-201-100001-2026-10-12',
      [
        event(
          'AttendanceCorrected',
          1,
          {
            pupilId: robin,
            schoolUrn: '100001',
            date: '2026-10-12',
            session: 'PM',
            academicYear: 2026,
            recordedAt: '2026-10-15T09:30:00.000Z',
            code: 'M',
            previousCode: 'N',
          },
          { reason: 'Medical appointment letter' },
        ),
      ],
      { expectedVersion: 'no_stream' },
    );
  });
  afterAll(async () => test?.dispose());

  it('reads version 1 as version 2 and keeps each version of a corrected mark in the order it was recorded', async () => {
    await db.transaction().execute((trx) => replayRegister(trx));
    const marks = new AttendanceMarkReads(db);
    const inForce = await marks.inForceForYear(robin, 2026);
    expect(inForce.map((m) => [m.schoolUrn, m.date, m.session, m.code, m.recordedAt])).toEqual([
      ['100001', '2026-10-12', 'AM', '/', '2026-10-13T16:00:00.000Z'],
      ['100001', '2026-10-12', 'PM', 'M', '2026-10-15T09:30:00.000Z'],
      ['100001', '2026-10-13', 'AM', '/', '2026-10-14T08:00:00.000Z'],
      ['100002', '2026-10-13', 'AM', 'B', '2026-10-13T16:00:00.000Z'],
      ['100001', '2026-10-13', 'PM', '/', '2026-10-14T08:00:00.000Z'],
    ]);
    const versions = await marks.versionsForYear(robin, 2026);
    const pm = versions.filter((m) => m.date === '2026-10-12' && m.session === 'PM');
    expect(pm.map((m) => m.code)).toEqual(['N', 'M']);
    expect((await marks.inForceForYear(ash, 2026)).map((m) => m.code)).toEqual(['L']);
  });

  it('replays the same register however often it is replayed', async () => {
    const dump = async () =>
      (
        await sql<{ row: unknown }>`
          select to_jsonb(m) as row from attendance_marks m
          union all select to_jsonb(s) from attendance_marks_superseded s order by 1`.execute(db)
      ).rows;
    const first = await dump();
    await db.transaction().execute((trx) => replayRegister(trx));
    expect(await dump()).toEqual(first);
    expect(first).toHaveLength(7);
  });
});
