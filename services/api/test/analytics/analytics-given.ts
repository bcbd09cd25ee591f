import { createApplication, openVault } from '@small-steps/application';
import {
  type EventStoreSchema,
  type LogPosition,
  START_OF_LOG,
  type StoredEvent,
  TransactionTx,
} from '@small-steps/event-store';
import { handlesType } from '@small-steps/projections';
import { sql } from 'kysely';
import { expect } from 'vitest';
import type { Principal } from '../../src/auth/principal.ts';
import { register, upnFor, weekdays } from '../attendance/attendance-given.ts';
import { rowsOf } from '../fixtures/table-rows.ts';
import { officer, type TestApp } from '../fixtures/test-app.ts';
import { agreedBy, attempt, groundworkAreas, people, step } from '../plans/plan-given.ts';

export const analyst: Principal = { id: 'analyst-1', role: 'analyst', tenant: '801' };
export const ANALYTICS_TABLES = [
  'analytics_pupils',
  'analytics_plans',
  'analytics_attendance_sessions',
  'analytics_attendance_weeks',
];

/** A seeded pupil: everything personal about them, which no analytics table or answer may hold. */
export interface SeededPupil {
  pupilId: string;
  planId: string;
  personal: string[];
}

/**
 * Pupils of LA 801 with plans and registers, every personal value unique so that a search for it
 * cannot hit by chance: `count` pupils at `schoolUrn`, plans opened on Monday 7 September 2026,
 * each with a step mastered, the first `closed` closed, attendance before and after the opening
 * to Tuesday 1 December 2026.
 */
export async function seedPlans(
  t: TestApp,
  {
    schoolUrn,
    count,
    closed,
    firstSerial,
    as = officer,
  }: { schoolUrn: string; count: number; closed: number; firstSerial: number; as?: Principal },
): Promise<SeededPupil[]> {
  const auth = { authorization: `Bearer ${await t.token(as)}` };
  const post = async (url: string, payload: object, expected: number) => {
    const response = await t.app.inject({ method: 'POST', url, headers: auth, payload });
    if (response.statusCode !== expected) throw new Error(`${url} answered ${response.statusCode}: ${response.body}`);
    return response.json();
  };
  const seeded: SeededPupil[] = [];
  for (let i = 0; i < count; i++) {
    const serial = firstSerial + i;
    const given = `Zephyrine${serial}q`;
    const family = `Quillfeather${serial}x`;
    const dateOfBirth = `2014-0${1 + (serial % 9)}-1${serial % 10}`;
    const upn = upnFor(serial);
    const concern = `Dreads the clatter of corridor ${serial} lockers`;
    const worries = `Worried about prefect ${serial} shouting`;
    const summary = `Back full time after helping in library ${serial}`;
    const { pupilId } = await post(
      '/v1/pupils',
      {
        upn,
        givenName: given,
        familyName: family,
        dateOfBirth,
        yearGroup: i % 2 === 0 ? '7' : '8',
        senProvision: 'K',
        needs: [{ need: i % 3 === 0 ? 'ASD' : 'SEMH', rank: 1 }],
        schoolUrn,
        admissionDate: '2026-09-01',
      },
      201,
    );
    const { planId } = await post(
      '/v1/plans',
      {
        pupilId,
        keyAdult: { id: people.keyAdult.id, name: 'Ms Patel' },
        presentingConcern: concern,
        occurredOn: '2026-09-07',
      },
      201,
    );
    const plan = (path: string, payload: object) => post(`/v1/plans/${planId}${path}`, payload, 200);
    const view = { worries, whatHelps: 'Quiet.', hopes: 'To see friends.', occurredOn: '2026-09-08' };
    await plan('/views', { role: 'pupil', participantId: people.pupil.id, ...view });
    await plan('/views', { role: 'parent_carer', participantId: people.parent.id, ...view });
    for (const area of groundworkAreas)
      await plan(`/groundwork/${area}`, { summary: `About ${area}.`, occurredOn: '2026-09-09' });
    await plan('/goals', {
      goalId: 'goal-1',
      pupilWords: 'A full day.',
      participants: agreedBy,
      occurredOn: '2026-09-10',
    });
    await plan('/goals/goal-1/steps', {
      steps: [1, 2].map((n) => step(n)),
      participants: agreedBy,
      occurredOn: '2026-09-11',
    });
    const masteredOn = `2026-09-${14 + (i % 5)}`;
    await plan('/steps/step-1/start', { occurredOn: masteredOn });
    await plan('/steps/step-1/attempts', { ...attempt({ anxietyBefore: 6, anxietyAfter: 3 }), occurredOn: masteredOn });
    await plan('/steps/step-1/attempts', { ...attempt({ anxietyBefore: 4, anxietyAfter: 2 }), occurredOn: masteredOn });
    await plan('/steps/step-1/mastery', { pupilConfirmed: true, occurredOn: masteredOn });
    await plan('/observations', {
      what: `Hid in cloakroom ${serial}`,
      tags: ['trigger'],
      time: '09:10',
      occurredOn: '2026-09-15',
    });
    if (i < closed) {
      await plan('/close', { outcome: 'returned_full_time', summary, followUpOn: null, occurredOn: '2026-11-27' });
    }
    // Half the sessions missed the week before the plan; then every other pupil attends every session
    // (a rise of 50 points) and the rest still miss every afternoon.
    const before = register(pupilId, weekdays('2026-09-01', '2026-09-04'), {
      '2026-09-01 PM': 'N',
      '2026-09-02 PM': 'N',
      '2026-09-03 PM': 'N',
      '2026-09-04 AM': 'N',
    });
    const afterDays = weekdays('2026-09-07', '2026-12-01');
    const after = register(
      pupilId,
      afterDays,
      i % 2 === 1 ? Object.fromEntries(afterDays.map((day) => [`${day} PM`, 'N'])) : {},
    );
    await post('/v1/attendance/marks', { schoolUrn, marks: [...before, ...after] }, 200);
    seeded.push({
      pupilId,
      planId,
      personal: [pupilId, planId, given, family, dateOfBirth, upn, concern, worries, summary],
    });
  }
  return seeded;
}

/**
 * A second plan for a pupil whose first is closed, opened on Monday 30 November 2026 and closed the
 * next day: the pupil then stands behind two plans. Returns the plan id.
 */
export async function secondPlan(t: TestApp, pupil: SeededPupil, as: Principal = officer): Promise<string> {
  const auth = { authorization: `Bearer ${await t.token(as)}` };
  const summary = 'Settled again after the second house move of the autumn';
  const opened = await t.app.inject({
    method: 'POST',
    url: '/v1/plans',
    headers: auth,
    payload: {
      pupilId: pupil.pupilId,
      keyAdult: { id: people.keyAdult.id, name: 'Ms Patel' },
      presentingConcern: 'Anxious again after the move.',
      occurredOn: '2026-11-30',
    },
  });
  if (opened.statusCode !== 201) throw new Error(`opening a second plan answered ${opened.statusCode}: ${opened.body}`);
  const { planId } = opened.json();
  const closed = await t.app.inject({
    method: 'POST',
    url: `/v1/plans/${planId}/close`,
    headers: auth,
    payload: { outcome: 'returned_full_time', summary, followUpOn: null, occurredOn: '2026-12-01' },
  });
  if (closed.statusCode !== 200)
    throw new Error(`closing the second plan answered ${closed.statusCode}: ${closed.body}`);
  pupil.personal.push(planId, summary);
  return planId;
}

/**
 * Waits until the projection named has applied every event stored: no event lies after its
 * checkpoint in log order (transaction id, position). "Caught up" alone is not enough on a shared
 * PostgreSQL server, where another session's open transaction can hold the read horizon back.
 */
export async function caughtUp(t: TestApp, projection: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const { rows } = await sql<{ behind: number }>`
      select count(*)::int as behind from events, projection_checkpoints c
      where c.name = ${projection} and c.position <> '0'
        and (events.transaction_id::text::bigint, events.position)
          > (split_part(c.position, ':', 1)::bigint, split_part(c.position, ':', 2)::bigint)`.execute(t.db);
    const { rows: any } = await sql<{ n: number }>`
      select count(*)::int as n from projection_checkpoints where name = ${projection} and position <> '0'`.execute(
      t.db,
    );
    if (any[0]!.n === 1 && rows[0]!.behind === 0) return;
    if (Date.now() > deadline) {
      const { rows: checkpoint } =
        await sql`select position, events_applied::text as applied, error, failed_event_type from projection_checkpoints where name = ${projection}`.execute(
          t.db,
        );
      throw new Error(`projection ${projection} is ${rows[0]?.behind} events behind: ${JSON.stringify(checkpoint)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const ROLLBACK = new Error('roll the rebuild back');

/**
 * The worker projection of that name run from position 0 by a fresh application into emptied tables,
 * inside a transaction rolled back at the end: what a rebuild would write.
 */
export async function rebuilt(t: TestApp, name: string): Promise<Record<string, unknown[]>> {
  const { workerProjections, store } = createApplication({
    storage: { store: t.store, db: t.db },
    tenantSettings: t.config.tenantSettings,
    vault: openVault(t.db, t.config.masterKey),
  });
  const projection = workerProjections.find((p) => p.name === name)!;
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from events`.execute(t.db);
  const pages: StoredEvent[][] = [];
  for (let after: LogPosition = START_OF_LOG, read = 0; read < rows[0]!.n; ) {
    const page = await store.readAll({ after, maxCount: 50 });
    if (page.events.length === 0) await store.waitForEvents(50);
    pages.push(page.events);
    read += page.events.length;
    after = page.position;
  }
  let dump: Record<string, unknown[]> | undefined;
  await t.db
    .transaction()
    .execute(async (trx) => {
      for (const table of projection.tables) await sql`delete from ${sql.table(table)}`.execute(trx);
      const tx = new TransactionTx(trx.withTables<EventStoreSchema>());
      for (const page of pages) {
        const events = page.filter((event) => handlesType(projection, event.type));
        if (events.length > 0) await projection.apply(events, tx);
      }
      dump = await rowsOf(trx, projection.tables);
      throw ROLLBACK;
    })
    .catch((error: unknown) => {
      if (error !== ROLLBACK) throw error;
    });
  expect(dump).toBeDefined();
  return dump!;
}
