import { type EventStoreSchema, readCommittedLog, START_OF_LOG, TransactionTx } from '@small-steps/event-store';
import { type Kysely, sql } from 'kysely';
import type { Migration } from 'kysely/migration';
import { attendanceMarksProjection } from './attendance-marks-projection.ts';

const PAGE = 1000;

/**
 * Each version of a mark now carries the position of the event that recorded it, which orders a
 * mark's versions and is the same however often the register is rebuilt (the superseded table's
 * own identity counted rows in commit order instead). Positions can only come from the log, so the
 * register is replayed from it, through the projection itself: this also reads every version-1
 * `AttendanceRecorded` through its upcaster. The log is locked against appends while it replays,
 * so stop older versions of the service before upgrading. It replays through today's projection,
 * against the tables as they stand after this migration: a later change to them must come with a
 * migration of its own that brings existing rows along.
 */
export const attendanceMarksReplayMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`lock table events in share mode`.execute(db);
    await sql`drop table attendance_marks_superseded`.execute(db);
    await sql`truncate attendance_marks`.execute(db);
    await sql`alter table attendance_marks add column recorded_position bigint not null`.execute(db);
    await sql`
      create table attendance_marks_superseded (
        tenant text not null,
        pupil_id uuid not null,
        school_urn text not null,
        date date not null,
        session text not null,
        code text not null,
        recorded_at timestamptz not null,
        recorded_position bigint not null,
        constraint attendance_marks_superseded_pk primary key (pupil_id, date, session, school_urn, recorded_position)
      )`.execute(db);
    await replayRegister(db as Kysely<object>);
  },
};

/**
 * Empties the register and fills it again from every attendance event in the log, through the
 * projection, inside the caller's transaction; the caller keeps appends out meanwhile.
 */
export async function replayRegister(db: Kysely<object>): Promise<void> {
  await sql`truncate attendance_marks, attendance_marks_superseded`.execute(db);
  const projection = attendanceMarksProjection();
  const tx = new TransactionTx(db.withTables<EventStoreSchema>());
  // The register's projection names its types, so the replay reads only attendance events.
  const types = projection.handles === 'every' ? undefined : [...projection.handles];
  for (let after = START_OF_LOG; ; ) {
    const page = await readCommittedLog(db, { after, maxCount: PAGE, types });
    if (page.events.length === 0) return;
    await projection.apply(page.events, tx);
    after = page.position;
  }
}
