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
import { afterAll, beforeAll, expect, it } from 'vitest';
import { attendanceOf, type ClockedApp, startClockedApp } from './attendance/attendance-given.ts';
import { rowsOf } from './fixtures/table-rows.ts';
import { describeEachDatabase } from './fixtures/test-app.ts';
import { attempt, plansOf } from './plans/plan-given.ts';

const ROLLBACK = new Error('roll the replay back');

// The inline read models are written by the commands that append; replayed from the log by a fresh
// application that remembers nothing, each must come out row for row as it was written.
describeEachDatabase('inline read models replayed from the log', (factory) => {
  let t: ClockedApp;
  beforeAll(async () => {
    t = await startClockedApp(factory, '2026-10-20T09:00:00Z');
    const plans = plansOf(t);
    for (const school of ['100001', '100002']) {
      const planId = await plans.activePlan(undefined, school);
      await plans.masterStep(planId, 1, '2026-09-14');
      await plans.command(planId, '/steps/step-2/start', { occurredOn: '2026-09-15' });
      for (const anxietyAfter of [6, 5, 4]) {
        await plans.command(planId, '/steps/step-2/attempts', {
          ...attempt({ anxietyAfter }),
          occurredOn: '2026-09-16',
        });
      }
    }
    await plans.post('/v1/plans', plans.openBody(await plans.registerPupil()));
    const register = attendanceOf(t);
    const [robin, ash] = [await plans.registerPupil(), await plans.registerPupil()];
    const day = (date: string, code: string) =>
      [robin, ash].flatMap((pupilId) => (['AM', 'PM'] as const).map((session) => ({ pupilId, date, session, code })));
    expect((await register.mark([...day('2026-10-12', '/'), ...day('2026-10-13', 'N')])).statusCode).toBe(200);
    t.setNow('2026-10-20T10:00:00Z');
    const correction = [{ pupilId: robin!, date: '2026-10-13', session: 'AM' as const, code: 'M' }];
    expect((await register.mark(correction, { reason: 'Medical appointment letter' })).statusCode).toBe(200);
    t.setNow('2026-10-20T11:00:00Z');
    expect((await register.mark([{ ...correction[0]!, code: 'C' }], { reason: 'Head agreed' })).statusCode).toBe(200);
  }, 120_000);
  afterAll(async () => t?.close());

  it('gives every inline read model back row for row', async () => {
    const { inlineProjections, store } = createApplication({
      storage: { store: t.store, db: t.db },
      tenantSettings: t.config.tenantSettings,
      vault: openVault(t.db, t.config.masterKey),
    });
    const tables = inlineProjections.flatMap((projection) => [...projection.tables]);
    const live = await rowsOf(t.db, tables);
    // Pages read first: PGlite has one connection, and the transaction below holds it. On a shared
    // PostgreSQL server another session's open transaction can hold the read horizon back a moment:
    // read until every event stored is read.
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from events`.execute(t.db);
    const pages: StoredEvent[][] = [];
    const deadline = Date.now() + 20_000;
    for (let after: LogPosition = START_OF_LOG, read = 0; read < rows[0]!.n && Date.now() < deadline; ) {
      const page = await store.readAll({ after, maxCount: 7 });
      if (page.events.length === 0) await store.waitForEvents(50);
      pages.push(page.events);
      read += page.events.length;
      after = page.position;
    }
    let replayed: Record<string, unknown[]> | undefined;
    await t.db
      .transaction()
      .execute(async (trx) => {
        for (const table of tables) await sql`delete from ${sql.table(table)}`.execute(trx);
        const tx = new TransactionTx(trx.withTables<EventStoreSchema>());
        for (const page of pages) {
          for (const projection of inlineProjections) {
            const events = page.filter((event) => handlesType(projection, event.type));
            if (events.length > 0) await projection.apply(events, tx);
          }
        }
        replayed = await rowsOf(trx, tables);
        throw ROLLBACK;
      })
      .catch((error: unknown) => {
        if (error !== ROLLBACK) throw error;
      });
    for (const table of ['plan_views', 'plan_step_attempts', 'pupil_directory', 'attendance_marks']) {
      expect(live[table]?.length, table).toBeGreaterThan(0);
    }
    expect(live.attendance_marks_superseded).toHaveLength(2);
    expect(replayed).toEqual(live);
  });
});
