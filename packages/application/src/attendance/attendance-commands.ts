import {
  type AttendanceMarksRecorded,
  attendanceEventCodec,
  type RecordAttendanceMarksBody,
} from '@small-steps/contracts';
import type { AttendanceBatchDecision, AttendanceEvent, Principal } from '@small-steps/domain';
import {
  type InlineWork,
  isEventIdConflict,
  isStreamVersionConflict,
  type NewEvent,
  type StreamAppend,
} from '@small-steps/event-store';
import type { AttendanceMarkReads, PersonalCipher, Projection, PupilReads } from '@small-steps/projections';
import type { CommandOptions } from '../commands/command-options.ts';
import { type Answer, type CommandResult, type FieldError, refused, rejected } from '../commands/command-result.ts';
import { report } from '../commands/command-telemetry.ts';
import { eventIdFor } from '../commands/event-ids.ts';
import { type IdempotencyRequest, isKeyTaken } from '../commands/idempotency.ts';
import type { CommandContext } from '../commands/run-command.ts';
import { ErasedSubject } from '../personal-data/personal-data-vault.ts';
import { attendanceStreamId } from './attendance-streams.ts';
import { decideRows, type ResolvedRow, resolveRows, streamsOf } from './attendance-upload.ts';

/** What uploads need besides the store. */
export interface AttendanceCommandsDependencies extends CommandContext {
  pupils: PupilReads;
  marks: AttendanceMarkReads;
  projection: Projection;
  clock: () => Date;
}

/**
 * Records a school's register marks: every row is checked and the upload is all or nothing, one
 * multi-stream append (a stream per school and day) with the register's read model and the
 * idempotency record in its transaction.
 */
export class AttendanceCommands {
  readonly #deps: AttendanceCommandsDependencies;

  constructor(deps: AttendanceCommandsDependencies) {
    this.#deps = deps;
  }

  async record(body: RecordAttendanceMarksBody, options: CommandOptions): Promise<CommandResult> {
    const { principal, idempotency } = options;
    if (principal.schoolUrn !== undefined && principal.schoolUrn !== body.schoolUrn) {
      return refused('forbidden', 'School staff record marks for their own school only.');
    }
    return this.#deps.loop.run(principal, idempotency, () => this.#attempt(body, options));
  }

  async #attempt(body: RecordAttendanceMarksBody, options: CommandOptions): Promise<CommandResult | 'again'> {
    const { principal, idempotency } = options;
    const { store, records, pupils: pupilReads, marks, projection, clock } = this.#deps;
    const pupils = await pupilReads.findForRoll(principal, body.schoolUrn, {
      pupilIds: body.marks.flatMap((m) => (m.pupilId === undefined ? [] : [m.pupilId])),
      upns: body.marks.flatMap((m) => (m.upn === undefined ? [] : [m.upn])),
    });
    const resolved = resolveRows(body, pupils);
    // Versions first, then marks: a mark appended in between makes the append's expected version
    // stale and it is decided again, never the other way round.
    const versions = await store.streamVersions(streamsOf(principal.tenant, resolved.rows));
    const existing = await marks.inForceOn(resolved.rows);
    const recordedAt = clock();
    const { decision, errors } = decideRows(resolved.rows, existing, recordedAt.toISOString());
    const erased = await erasedRows(resolved.rows, this.#deps.cipher);
    const refusal = refusalOf([...resolved.errors, ...erased, ...errors], body.marks.length);
    if (refusal !== undefined) return refusal;

    const answer: Answer = { status: 200, body: summaryOf(body, resolved.rows, decision, recordedAt), etag: null };
    if (decision.events.length === 0) {
      if (idempotency && !(await records.save(principal, idempotency, answer))) return 'again';
      report({ kind: 'marks-ingested', rows: body.marks.length });
      return { outcome: 'accepted', answer };
    }
    const makeEvent = eventMaker(principal, options.correlationId, idempotency, this.#deps.cipher);
    const stored = await Promise.all(decision.events.map(makeEvent)).catch((error: unknown) => {
      if (error instanceof ErasedSubject) return error;
      throw error;
    });
    if (stored instanceof ErasedSubject) return rejected('records-erased', stored.message);
    const appends = appendsOf(principal.tenant, decision.events, stored, versions);
    const record = idempotency && (await records.write(principal, idempotency, answer));
    const inline: InlineWork = async (events, tx) => {
      await projection.apply(events, tx);
      if (record) await tx.execute(record);
    };
    try {
      const results = await store.appendMany(appends, { inline });
      // Every stream already held these events: an earlier request with this key; the loop answers.
      if (results.every((result) => result.wasRepeat)) return 'again';
    } catch (error) {
      // Another upload changed one of these registers between reading and appending, or took this
      // Idempotency-Key first: decide again.
      if (isStreamVersionConflict(error) || isEventIdConflict(error) || isKeyTaken(error)) return 'again';
      if (error instanceof ErasedSubject) return rejected('records-erased', error.message);
      throw error;
    }
    report({ kind: 'appended', types: stored.map((event) => event.type) });
    report({ kind: 'marks-ingested', rows: body.marks.length });
    return { outcome: 'accepted', answer };
  }
}

/**
 * Rows about a pupil whose records or register data were erased: nothing more is recorded about
 * them, not even a mark, which carries nothing personal and so is never sealed under their key.
 */
async function erasedRows(rows: readonly ResolvedRow[], cipher: PersonalCipher): Promise<FieldError[]> {
  const erased = await cipher.erasedAmong(
    rows.map((row) => row.pupilId),
    ['records', 'register'],
  );
  return rows
    .filter((row) => erased.has(row.pupilId))
    .map((row) => ({
      pointer: `/body/marks/${row.index}`,
      detail: "the pupil's data was erased: nothing more is recorded about them",
      code: 'records-erased',
    }));
}

function refusalOf(errors: FieldError[], received: number): CommandResult | undefined {
  if (errors.length === 0) return undefined;
  const index = (error: FieldError) => Number(error.pointer.split('/')[3]);
  errors.sort((a, b) => index(a) - index(b));
  const rules = [...new Set(errors.map((error) => error.code))];
  const rows = new Set(errors.map(index)).size;
  return rejected(
    rules.length === 1 ? rules[0]! : 'attendance-marks-refused',
    `${rows} of ${received} marks cannot be recorded (${rules.join(', ')}), so none was: see errors for each row.`,
    errors,
  );
}

type MakeEvent = (event: AttendanceEvent, index: number) => Promise<NewEvent>;

/** Events as stored; a correction's reason is sealed under the pupil's register key. */
function eventMaker(
  principal: Principal,
  correlationId: string,
  idempotency: IdempotencyRequest | undefined,
  cipher: PersonalCipher,
): MakeEvent {
  const scope = `${principal.tenant}\u0000${principal.id}\u0000attendance-marks`;
  const metadata = {
    actor: { id: principal.id, role: principal.role, tenant: principal.tenant },
    correlationId,
    causationId: null,
    ...(idempotency ? { idempotencyKey: idempotency.key } : {}),
  };
  return async (event, index) => {
    const { personal, ...stored } = attendanceEventCodec.encode(event);
    return {
      id: eventIdFor(scope, idempotency?.key, index),
      ...stored,
      personal:
        event.type === 'AttendanceCorrected' && personal !== null
          ? ((await cipher.seal(
              { id: event.data.pupilId, class: 'register', tenant: principal.tenant },
              personal,
            )) as Record<string, unknown>)
          : personal,
      metadata,
    };
  };
}

/** The decision's events, one append per stream, each at the version the marks were read at. */
function appendsOf(
  tenant: string,
  events: readonly AttendanceEvent[],
  stored: readonly NewEvent[],
  versions: ReadonlyMap<string, number>,
): StreamAppend[] {
  const byStream = new Map<string, NewEvent[]>();
  events.forEach((event, index) => {
    const streamId = attendanceStreamId(tenant, event.data.schoolUrn, event.data.date);
    const stream = byStream.get(streamId);
    const storedEvent = stored[index]!;
    if (stream) stream.push(storedEvent);
    else byStream.set(streamId, [storedEvent]);
  });
  return [...byStream].map(([streamId, streamEvents]) => {
    const version = versions.get(streamId) ?? 0;
    return { streamId, events: streamEvents, expectedVersion: version === 0 ? 'no_stream' : version };
  });
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
