import type { AttendanceMarksRecorded, RecordAttendanceMarksBody } from '@small-steps/contracts';
import {
  type AttendanceBatchDecision,
  type AttendanceEvent,
  attendanceMarksFrom,
  currentMarks,
} from '@small-steps/domain';
import {
  type EventStore,
  isEventIdConflict,
  isStreamVersionConflict,
  type NewEvent,
  type StreamAppend,
} from '@small-steps/event-store';
import { type AttendanceMarkRow, type AttendanceMarksSchema, writeAttendanceMarks } from '@small-steps/projections';
import type { Kysely } from 'kysely';
import type { Principal } from '../auth/principal.ts';
import { eventIdFor } from '../commands/event-ids.ts';
import type { HttpCommandOptions } from '../commands/http-command.ts';
import {
  findIdempotentResponse,
  type IdempotencyDb,
  IdempotencyRace,
  type IdempotencyRequest,
  type StoredResponse,
  saveIdempotentResponse,
} from '../commands/idempotency.ts';
import type { CommandResult } from '../commands/run-command.ts';
import { HttpProblem, RuleBroken } from '../plugins/problems.ts';
import type { PupilReads } from '../pupils/pupil-reads.ts';
import type { AttendanceMarkReads } from './attendance-mark-reads.ts';
import { attendanceStreamId, storedAttendanceEvent } from './attendance-streams.ts';
import { decideRows, type ResolvedRow, type RowError, resolveRows, streamsOf } from './attendance-upload.ts';

const MAX_ATTEMPTS = 3;

/**
 * Records a school's register marks: every row is checked and the upload is all or nothing, one
 * multi-stream append (a stream per school and day) with the marks read model and the idempotency
 * record in its transaction.
 */
export class AttendanceCommands {
  readonly #store: EventStore;
  readonly #pupils: PupilReads;
  readonly #marks: AttendanceMarkReads;
  readonly #clock: () => Date;

  constructor(store: EventStore, pupils: PupilReads, marks: AttendanceMarkReads, clock: () => Date) {
    this.#store = store;
    this.#pupils = pupils;
    this.#marks = marks;
    this.#clock = clock;
  }

  async record(body: RecordAttendanceMarksBody, options: HttpCommandOptions): Promise<CommandResult> {
    const { principal, idempotency } = options;
    if (principal.schoolUrn !== undefined && principal.schoolUrn !== body.schoolUrn) {
      throw new HttpProblem('forbidden', 'School staff record marks for their own school only.');
    }
    const db = this.#store.db as unknown as Kysely<IdempotencyDb>;
    for (let attempt = 1; ; attempt++) {
      if (idempotency) {
        const earlier = await findIdempotentResponse(db, principal, idempotency);
        if (earlier) return { ...earlier, replayed: true };
      }
      try {
        return await this.#attempt(body, options);
      } catch (error) {
        // Another upload changed one of these pupils' registers between reading and appending, or took
        // this Idempotency-Key first: decide again (the lookup above answers a taken key).
        if (!isStreamVersionConflict(error) && !isEventIdConflict(error) && !(error instanceof IdempotencyRace)) {
          throw error;
        }
        if (attempt >= MAX_ATTEMPTS) {
          throw new HttpProblem(
            'version-conflict',
            'These registers are being changed by others right now; retry shortly.',
          );
        }
      }
    }
  }

  async #attempt(body: RecordAttendanceMarksBody, options: HttpCommandOptions): Promise<CommandResult> {
    const { principal, idempotency } = options;
    const pupils = await this.#pupils.findForRoll(principal, body.schoolUrn, {
      pupilIds: body.marks.flatMap((m) => (m.pupilId === undefined ? [] : [m.pupilId])),
      upns: body.marks.flatMap((m) => (m.upn === undefined ? [] : [m.upn])),
    });
    const resolved = resolveRows(body, pupils);
    // Versions first, then marks: a mark appended in between makes the append's expected version
    // stale and it is decided again, never the other way round.
    const versions = await this.#store.streamVersions(streamsOf(principal.tenant, resolved.rows));
    const existing = await this.#marks.inForceOn(resolved.rows);
    const recordedAt = this.#clock();
    const { decision, errors } = decideRows(resolved.rows, existing, recordedAt.toISOString());
    refuseBadRows([...resolved.errors, ...errors], body.marks.length);

    const response: StoredResponse = {
      statusCode: 200,
      body: summaryOf(body, resolved.rows, decision, recordedAt),
      etag: null,
    };
    const save = async (db: Kysely<IdempotencyDb>) => {
      if (idempotency) await saveIdempotentResponse(db, principal, idempotency, response);
    };
    if (decision.events.length === 0) {
      await save(this.#store.db as unknown as Kysely<IdempotencyDb>);
      return { ...response, replayed: false };
    }
    const appends = appendsOf(
      principal.tenant,
      decision.events,
      versions,
      eventMaker(principal, options.correlationId, idempotency),
    );
    const results = await this.#store.appendMany(appends, {
      inTransaction: async (trx) => {
        const db = trx as unknown as Kysely<AttendanceMarksSchema>;
        // Marks recorded for the first time are new rows: the appends above already hold their streams.
        const areAllNew = decision.events.every((event) => event.type === 'AttendanceRecorded');
        await writeAttendanceMarks(db, principal.tenant, recordedAt, marksInForce(decision.events), { areAllNew });
        await save(trx as unknown as Kysely<IdempotencyDb>);
      },
    });
    if (results.every((result) => result.wasRepeat)) {
      const earlier = idempotency
        ? await findIdempotentResponse(this.#store.db as unknown as Kysely<IdempotencyDb>, principal, idempotency)
        : undefined;
      if (earlier) return { ...earlier, replayed: true };
      throw new HttpProblem('version-conflict', 'These marks were already recorded by another request.');
    }
    return { ...response, replayed: false };
  }
}

function refuseBadRows(errors: RowError[], received: number): void {
  if (errors.length === 0) return;
  const index = (error: RowError) => Number(error.pointer.split('/')[3]);
  errors.sort((a, b) => index(a) - index(b));
  const rules = [...new Set(errors.map((error) => error.code))];
  const rows = new Set(errors.map(index)).size;
  throw new RuleBroken(
    rules.length === 1 ? rules[0]! : 'attendance-marks-refused',
    `${rows} of ${received} marks cannot be recorded (${rules.join(', ')}), so none was: see errors for each row.`,
    errors,
  );
}

type MakeEvent = (event: AttendanceEvent, index: number) => NewEvent;

function eventMaker(
  principal: Principal,
  correlationId: string,
  idempotency: IdempotencyRequest | undefined,
): MakeEvent {
  const scope = `${principal.tenant}\u0000${principal.id}\u0000attendance-marks`;
  const metadata = {
    actor: { id: principal.id, role: principal.role, tenant: principal.tenant },
    correlationId,
    causationId: null,
    ...(idempotency ? { idempotencyKey: idempotency.key } : {}),
  };
  return (event, index) => ({
    id: eventIdFor(scope, idempotency?.key, index),
    ...storedAttendanceEvent(event),
    metadata,
  });
}

/** The decision's events, one append per stream, each at the version the marks were read at. */
function appendsOf(
  tenant: string,
  events: readonly AttendanceEvent[],
  versions: ReadonlyMap<string, number>,
  makeEvent: MakeEvent,
): StreamAppend[] {
  const byStream = new Map<string, NewEvent[]>();
  events.forEach((event, index) => {
    const streamId = attendanceStreamId(tenant, event.data.schoolUrn, event.data.date);
    const stream = byStream.get(streamId);
    const stored = makeEvent(event, index);
    if (stream) stream.push(stored);
    else byStream.set(streamId, [stored]);
  });
  return [...byStream].map(([streamId, streamEvents]) => {
    const version = versions.get(streamId) ?? 0;
    return { streamId, events: streamEvents, expectedVersion: version === 0 ? 'no_stream' : version };
  });
}

/** The last mark each event sets per session: what the read model holds afterwards. */
function marksInForce(events: readonly AttendanceEvent[]): AttendanceMarkRow[] {
  const marks = attendanceMarksFrom(events);
  // Without corrections every session appears once: an upload that only records needs no dedupe.
  return events.every((event) => event.type === 'AttendanceRecorded') ? marks : [...currentMarks(marks).values()];
}

function summaryOf(
  body: RecordAttendanceMarksBody,
  rows: readonly ResolvedRow[],
  decision: AttendanceBatchDecision,
  recordedAt: Date,
): AttendanceMarksRecorded {
  const count = (outcome: string) => decision.rows.filter((row) => row.outcome === outcome).length;
  return {
    schoolUrn: body.schoolUrn,
    recordedAt: recordedAt.toISOString(),
    received: body.marks.length,
    recorded: count('recorded'),
    corrected: count('corrected'),
    unchanged: count('unchanged'),
    corrections: decision.rows.flatMap((row) => {
      if (row.outcome !== 'corrected') return [];
      const input = rows[row.index]!;
      return [{ index: input.index, previousCode: row.previousCode, code: input.code.trim().toUpperCase() }];
    }),
  };
}
