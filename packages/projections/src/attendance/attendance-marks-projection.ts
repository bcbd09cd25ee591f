import { attendanceEventCodec } from '@small-steps/contracts';
import { type AttendanceMark, attendanceMarksFrom, sessionKeyOf } from '@small-steps/domain';
import type { RecordedEvent } from '@small-steps/event-store';
import { type RawBuilder, sql } from 'kysely';
import type { Projection } from '../projection.ts';
import { arrayLiteral } from '../sql-arrays.ts';

/** A version of a mark, with the event that recorded it (its index in the batch). */
interface MarkVersion extends AttendanceMark {
  tenant: string;
  event: number;
}

// Rows per statement: each column goes as one array parameter.
const CHUNK = 5000;

/**
 * The register: the mark in force for each pupil, school, date and session (`attendance_marks`),
 * and every version replaced since (`attendance_marks_superseded`), so it can be read as it stood
 * at an earlier instant. Versions are ordered by the position of the event that recorded them,
 * which a writer's clock cannot reorder. Inline: written in an upload's transaction, so an upload
 * is decided from one query rather than by replaying thousands of streams.
 */
export function attendanceMarksProjection(): Projection {
  return {
    name: 'attendance_marks',
    handles: new Set(['AttendanceRecorded', 'AttendanceCorrected']),
    tables: ['attendance_marks', 'attendance_marks_superseded'],
    // Only a replacement looks marks up and upserts them; first recordings are plain inserts.
    needsKeys: (events) => !recordsOnly(events),
    async apply(events, tx) {
      const versions = events.flatMap((event, index) =>
        attendanceMarksFrom(attendanceEventCodec.decode(event)).map(
          (mark): MarkVersion => ({ ...mark, tenant: event.metadata.actor.tenant, event: index }),
        ),
      );
      if (versions.length === 0) return;
      const positions = sql`array[${sql.join(events.map((event) => tx.positionOf(event)))}]::bigint[]`;
      // A first recording never replaces anything, so an upload that only records is plain inserts.
      if (recordsOnly(events)) {
        for (let start = 0; start < versions.length; start += CHUNK) {
          await tx.execute(insertInForce(versions.slice(start, start + CHUNK), positions));
        }
        return;
      }
      for (const chunk of chunksOfKeys(versions)) await tx.execute(replace(chunk, positions));
    },
  };
}

/** Events that only record marks for the first time, as the register's plain inserts. */
const recordsOnly = (events: readonly RecordedEvent[]) => events.every((event) => event.type === 'AttendanceRecorded');

/** Versions grouped by session key, in chunks of whole keys: a key's versions must go in one statement. */
function* chunksOfKeys(versions: readonly MarkVersion[]): Generator<{ last: MarkVersion[]; earlier: MarkVersion[] }> {
  const byKey = new Map<string, MarkVersion[]>();
  for (const version of versions) {
    const key = sessionKeyOf(version);
    const list = byKey.get(key);
    if (list) list.push(version);
    else byKey.set(key, [version]);
  }
  let chunk = { last: [] as MarkVersion[], earlier: [] as MarkVersion[] };
  for (const list of byKey.values()) {
    chunk.last.push(list.at(-1)!);
    chunk.earlier.push(...list.slice(0, -1));
    if (chunk.last.length + chunk.earlier.length >= CHUNK) {
      yield chunk;
      chunk = { last: [], earlier: [] };
    }
  }
  if (chunk.last.length > 0) yield chunk;
}

/**
 * The versions as rows, with the position of the event that recorded each. The batch's positions
 * are made into an array once per statement (`offset 0` keeps the subquery from being folded into
 * each row): once a statement is prepared, a generic plan would otherwise build the array of a
 * thousand parameters again for every row, which was most of a rebuild's time.
 */
function rowsOf(versions: readonly MarkVersion[], positions: RawBuilder<unknown>): RawBuilder<unknown> {
  return sql`
    select mark.tenant, mark.pupil_id, mark.school_urn, mark.date, mark.session, mark.code, mark.recorded_at,
      batch.positions[mark.event] as recorded_position
    from (select ${positions} as positions offset 0) as batch cross join unnest(
      ${arrayLiteral(versions, (m) => m.tenant)}::text[], ${arrayLiteral(versions, (m) => m.pupilId)}::uuid[],
      ${arrayLiteral(versions, (m) => m.schoolUrn)}::text[], ${arrayLiteral(versions, (m) => m.date)}::date[],
      ${arrayLiteral(versions, (m) => m.session)}::text[], ${arrayLiteral(versions, (m) => m.code)}::text[],
      ${arrayLiteral(versions, (m) => m.recordedAt)}::timestamptz[],
      ${arrayLiteral(versions, (m) => String(m.event + 1))}::integer[]
    ) as mark(tenant, pupil_id, school_urn, date, session, code, recorded_at, event)`;
}

const COLUMNS = sql`(tenant, pupil_id, school_urn, date, session, code, recorded_at, recorded_position)`;

function insertInForce(versions: readonly MarkVersion[], positions: RawBuilder<unknown>): RawBuilder<unknown> {
  return sql`insert into attendance_marks ${COLUMNS} ${rowsOf(versions, positions)}`;
}

/**
 * Puts the last version of each key in force and the others aside, with the version in force before
 * (if any). Every part of the statement sees the tables as they were before it, so the versions
 * moved aside are the ones being replaced.
 */
function replace(
  { last, earlier }: { last: readonly MarkVersion[]; earlier: readonly MarkVersion[] },
  positions: RawBuilder<unknown>,
): RawBuilder<unknown> {
  const asideEarlier =
    earlier.length === 0
      ? sql``
      : sql`, earlier as (insert into attendance_marks_superseded ${COLUMNS} ${rowsOf(earlier, positions)})`;
  return sql`
    with mark as (${rowsOf(last, positions)}),
    replaced as (
      insert into attendance_marks_superseded ${COLUMNS}
      select was.tenant, was.pupil_id, was.school_urn, was.date, was.session, was.code, was.recorded_at,
        was.recorded_position
      from mark cross join lateral (
        select * from attendance_marks
        where attendance_marks.pupil_id = mark.pupil_id and attendance_marks.date = mark.date
          and attendance_marks.session = mark.session and attendance_marks.school_urn = mark.school_urn
        offset 0
      ) as was
    )${asideEarlier}
    insert into attendance_marks ${COLUMNS}
    select * from mark
    on conflict (pupil_id, date, session, school_urn)
    do update set code = excluded.code, recorded_at = excluded.recorded_at,
      recorded_position = excluded.recorded_position`;
}
