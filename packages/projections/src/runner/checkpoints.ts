import { type LogPosition, START_OF_LOG } from '@small-steps/event-store';
import { type Kysely, sql } from 'kysely';
import type { ProjectionCheckpointsSchema } from './checkpoints-migration.ts';

/** Why a projection stopped: the event its handler failed on, and the error. */
export interface ProjectionFailure {
  position: LogPosition;
  eventId: string;
  eventType: string;
  error: string;
  failedAt: Date;
}

export interface Checkpoint {
  position: LogPosition;
  eventsApplied: number;
  updatedAt: Date | null;
  failure: ProjectionFailure | null;
}

/** Projections' checkpoints: read, moved on inside a batch's transaction, and failures recorded. */
export class Checkpoints {
  readonly #db: Kysely<ProjectionCheckpointsSchema>;

  constructor(db: Kysely<object>) {
    this.#db = db.withTables<ProjectionCheckpointsSchema>();
  }

  async read(name: string): Promise<Checkpoint> {
    const row = await this.#db
      .selectFrom('projection_checkpoints')
      .selectAll()
      .where('name', '=', name)
      .executeTakeFirst();
    if (row === undefined) return { position: START_OF_LOG, eventsApplied: 0, updatedAt: null, failure: null };
    return {
      position: row.position as LogPosition,
      eventsApplied: Number(row.events_applied),
      updatedAt: row.updated_at,
      failure:
        row.failed_position === null
          ? null
          : {
              position: row.failed_position as LogPosition,
              eventId: row.failed_event_id ?? '',
              eventType: row.failed_event_type ?? '',
              error: row.error ?? '',
              failedAt: row.failed_at ?? row.updated_at,
            },
    };
  }

  /**
   * Inside a batch's transaction: locks the projection's checkpoint and moves it from `from` to
   * `to`. False, with nothing changed, when it is no longer at `from`: another runner applied the
   * batch first, and this transaction must roll back.
   */
  async advance(
    trx: Kysely<object>,
    name: string,
    from: LogPosition,
    to: LogPosition,
    applied: number,
    at: Date,
  ): Promise<boolean> {
    const db = trx.withTables<ProjectionCheckpointsSchema>();
    await sql`
      insert into projection_checkpoints (name, position, updated_at) values (${name}, ${START_OF_LOG}, ${at})
      on conflict (name) do nothing`.execute(db);
    const current = await db
      .selectFrom('projection_checkpoints')
      .select('position')
      .where('name', '=', name)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (current.position !== from) return false;
    await db
      .updateTable('projection_checkpoints')
      .set({
        position: to,
        events_applied: sql`events_applied + ${applied}`,
        updated_at: at,
        failed_position: null,
        failed_event_id: null,
        failed_event_type: null,
        error: null,
        failed_at: null,
      })
      .where('name', '=', name)
      .execute();
    return true;
  }

  async recordFailure(name: string, failure: ProjectionFailure): Promise<void> {
    await sql`
      insert into projection_checkpoints (name, position, updated_at, failed_position, failed_event_id,
        failed_event_type, error, failed_at)
      values (${name}, ${START_OF_LOG}, ${failure.failedAt}, ${failure.position}, ${failure.eventId},
        ${failure.eventType}, ${failure.error}, ${failure.failedAt})
      on conflict (name) do update set failed_position = excluded.failed_position,
        failed_event_id = excluded.failed_event_id, failed_event_type = excluded.failed_event_type,
        error = excluded.error, failed_at = excluded.failed_at`.execute(this.#db);
  }

  /** Forgets a failure, so that the projection is tried again from its checkpoint. */
  async clearFailure(name: string): Promise<void> {
    await this.#db
      .updateTable('projection_checkpoints')
      .set({ failed_position: null, failed_event_id: null, failed_event_type: null, error: null, failed_at: null })
      .where('name', '=', name)
      .execute();
  }
}
