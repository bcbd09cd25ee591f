import {
  type Application,
  createApplication,
  openVault,
  RebuildInProgress,
  UnknownProjection,
} from '@small-steps/application';
import { ProjectionRunner } from '@small-steps/projections';
import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { attendanceOf, type ClockedApp, startClockedApp } from './attendance/attendance-given.ts';
import { rowsOf } from './fixtures/table-rows.ts';
import { describeEachDatabase } from './fixtures/test-app.ts';
import { attempt, plansOf } from './plans/plan-given.ts';

/** The indexes and constraints of the tables, by name: a switch must keep every one. */
async function indexesOf(db: Kysely<object>, tables: readonly string[]): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`
    select indexname || ': ' || indexdef as name from pg_indexes
    where schemaname = current_schema() and tablename = any(${[...tables]}::text[]) order by 1`.execute(db);
  return rows.map((row) => row.name);
}

const differing = (report: Awaited<ReturnType<Application['rebuilds']['rebuild']>>) =>
  report.tables.reduce((sum, table) => sum + table.differing, 0);

describeEachDatabase('rebuilding a read model from the log', (factory) => {
  let t: ClockedApp;
  let app: Application;
  let plans: ReturnType<typeof plansOf>;
  let planIds: string[];
  const tablesOf = (name: string) =>
    [...app.inlineProjections, ...app.workerProjections].find((p) => p.name === name)!.tables;

  beforeAll(async () => {
    t = await startClockedApp(factory, '2026-10-20T09:00:00Z');
    plans = plansOf(t);
    planIds = [];
    for (const school of ['100001', '100002']) {
      const planId = await plans.activePlan(undefined, school);
      planIds.push(planId);
      await plans.masterStep(planId, 1, '2026-09-14');
      await plans.command(planId, '/steps/step-2/start', { occurredOn: '2026-09-15' });
      for (const anxietyAfter of [6, 5, 4]) {
        await plans.command(planId, '/steps/step-2/attempts', {
          ...attempt({ anxietyAfter }),
          occurredOn: '2026-09-16',
        });
      }
      await plans.command(planId, '/observations', {
        what: 'Held his ears in assembly.',
        tags: ['trigger', 'location'],
        time: '09:05',
        occurredOn: '2026-09-14',
      });
    }
    const register = attendanceOf(t);
    const [robin, ash] = [await plans.registerPupil(), await plans.registerPupil()];
    const day = (date: string, code: string) =>
      [robin, ash].flatMap((pupilId) => (['AM', 'PM'] as const).map((session) => ({ pupilId, date, session, code })));
    expect((await register.mark([...day('2026-10-12', '/'), ...day('2026-10-13', 'N')])).statusCode).toBe(200);
    t.setNow('2026-10-20T10:00:00Z');
    const correction = [{ pupilId: robin!, date: '2026-10-13', session: 'AM' as const, code: 'M' }];
    expect((await register.mark(correction, { reason: 'Medical appointment letter' })).statusCode).toBe(200);
    app = createApplication({
      storage: { store: t.store, db: t.db, leases: t.leases },
      tenantSettings: t.config.tenantSettings,
      vault: openVault(t.db, t.config.masterKey),
    });
  }, 120_000);
  afterAll(async () => t?.close());

  it('rebuilds every inline read model equal to the live one, row for row, keeping every index', async () => {
    expect(app.rebuilds.names()).toEqual([
      'plan_views',
      'pupil_directory',
      'attendance_marks',
      'observation_patterns',
      'analytics',
      'caseload_alerts',
    ]);
    for (const name of ['plan_views', 'pupil_directory', 'attendance_marks']) {
      const tables = tablesOf(name);
      const [before, indexes] = [await rowsOf(t.db, tables), await indexesOf(t.db, tables)];
      const report = await app.rebuilds.rebuild(name, { pageSize: 7 });
      expect(report, name).toMatchObject({ projection: name, kind: 'inline', switched: true, liveBehind: false });
      expect(report.applied, name).toBeGreaterThan(0);
      for (const table of report.tables) {
        expect(table, `${name}: ${table.table}`).toMatchObject({ differing: 0, differences: [] });
        expect(table.liveRows, table.table).toBeGreaterThan(0);
        expect(table.rebuiltRows).toBe(table.liveRows);
      }
      expect(await rowsOf(t.db, tables), name).toEqual(before);
      expect(await indexesOf(t.db, tables), name).toEqual(indexes);
    }
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from information_schema.schemata where schema_name like 'rebuild_%'`.execute(t.db);
    expect(rows[0]!.n).toBe(0);
  });

  it("fills the register's copies without keys until a correction needs them, and switches them in keyed", async () => {
    const tables = tablesOf('attendance_marks');
    const indexes = await indexesOf(t.db, tables);
    const shadowKeys = async () =>
      (
        await sql<{
          n: number;
        }>`select count(*)::int as n from pg_constraint c join pg_namespace n on n.oid = c.connamespace
          where n.nspname = 'rebuild_attendance_marks' and c.contype = 'p'`.execute(t.db)
      ).rows[0]!.n;
    // Keys of the copies after each page applied: none while pages only record, both from the correction on.
    const keys: number[] = [];
    const report = await app.rebuilds.rebuild('attendance_marks', {
      pageSize: 1,
      onProgress: async ({ phase }) => {
        if (phase === 'replaying') keys.push(await shadowKeys());
      },
    });
    expect(keys[0]).toBe(0);
    expect(keys.at(-1)).toBe(tables.length);
    expect(keys).toEqual([...keys].sort((a, b) => a - b));
    expect(report.tables.map((table) => table.differing)).toEqual([0, 0]);
    expect(await indexesOf(t.db, tables)).toEqual(indexes);
  });

  it('reports a corrupted row on a dry run without touching it, and a rebuild puts it right', async () => {
    const [planA, planB] = planIds as [string, string];
    const intact = await rowsOf(t.db, ['plan_views']);
    await sql`update plan_views set version = version + 5 where plan_id = ${planA}`.execute(t.db);
    await sql`delete from plan_views where plan_id = ${planB}`.execute(t.db);
    await sql`delete from plan_step_attempts where plan_id = ${planB} and number = 1 and step_id = 'step-2'`.execute(
      t.db,
    );
    const corrupted = await rowsOf(t.db, ['plan_views', 'plan_step_attempts']);

    const dry = await app.rebuilds.rebuild('plan_views', { dryRun: true, maxDifferences: 1 });
    expect(dry.switched).toBe(false);
    const [views, attempts] = dry.tables;
    expect(views).toMatchObject({ table: 'plan_views', differing: 2 });
    // Bounded: one listed of the two.
    expect(views!.differences).toHaveLength(1);
    const all = await app.rebuilds.rebuild('plan_views', { dryRun: true });
    expect(all.tables[0]!.differences).toEqual(
      expect.arrayContaining([
        { table: 'plan_views', key: { plan_id: planA }, kind: 'differs', columns: ['version'] },
        { table: 'plan_views', key: { plan_id: planB }, kind: 'missing', columns: [] },
      ]),
    );
    expect(attempts!.differences).toEqual([
      {
        table: 'plan_step_attempts',
        key: { plan_id: planB, step_id: 'step-2', number: 1 },
        kind: 'missing',
        columns: [],
      },
    ]);
    expect(await rowsOf(t.db, ['plan_views', 'plan_step_attempts'])).toEqual(corrupted);

    const rebuilt = await app.rebuilds.rebuild('plan_views');
    expect(differing(rebuilt)).toBe(3);
    expect(await rowsOf(t.db, ['plan_views'])).toEqual(intact);
    expect(differing(await app.rebuilds.rebuild('plan_views', { dryRun: true }))).toBe(0);

    await sql`insert into attendance_marks (tenant, pupil_id, school_urn, date, session, code, recorded_at,
      recorded_position) values ('801', gen_random_uuid(), '100001', '2026-10-14', 'AM', '/', now(), 1)`.execute(t.db);
    const extra = await app.rebuilds.rebuild('attendance_marks', { dryRun: true });
    expect(extra.tables[0]!.differences).toMatchObject([{ table: 'attendance_marks', kind: 'extra' }]);
    expect(differing(await app.rebuilds.rebuild('attendance_marks'))).toBe(1);
    expect(differing(await app.rebuilds.rebuild('attendance_marks', { dryRun: true }))).toBe(0);
  });

  it('ends consistent when commands go on appending during the rebuild', async () => {
    const [planA, planB] = planIds as [string, string];
    const appendAttempt = async (planId: string) => {
      await plans.command(planId, '/steps/step-2/attempts', {
        ...attempt({ anxietyAfter: 5 }),
        occurredOn: '2026-09-17',
      });
      appended++;
    };
    let [appended, appendedWhileRebuilding] = [0, 0];
    let rebuilding = true;
    const appender = (async () => {
      while (rebuilding) await appendAttempt(planA);
    })();
    // Some commands are appended while pages are replayed (the rebuild waits for them), and one after
    // the replay and before the switch, which must catch it up under its lock.
    const report = await app.rebuilds
      .rebuild('plan_views', {
        pageSize: 1,
        onProgress: ({ phase, events }) =>
          (phase === 'replaying' && events % 10 === 5) || phase === 'switching' ? appendAttempt(planB) : undefined,
      })
      .finally(() => {
        rebuilding = false;
        appendedWhileRebuilding = appended;
      });
    await appender;
    expect(appendedWhileRebuilding).toBeGreaterThan(5);
    expect(report.switched).toBe(true);
    const after = await app.rebuilds.rebuild('plan_views', { dryRun: true });
    expect(after.tables.map((table) => table.differing)).toEqual([0, 0]);
    expect(report.tables.map((table) => table.differing)).toEqual([0, 0]);
    expect(after.tables[1]!.liveRows).toBeGreaterThanOrEqual(report.tables[1]!.liveRows);
  });

  it('rebuilds a worker projection and moves its checkpoint to where the rebuild stands', async () => {
    const first = await app.rebuilds.rebuild('observation_patterns', { dryRun: true });
    // No worker runs in these tests: the live table is still at the start of the log.
    expect(first).toMatchObject({ kind: 'worker', liveBehind: true, switched: false });
    expect(first.tables[0]).toMatchObject({ liveRows: 0 });
    expect(first.tables[0]!.rebuiltRows).toBeGreaterThan(0);
    expect(first.tables[0]!.differing).toBe(first.tables[0]!.rebuiltRows);
    const rebuilt = await app.rebuilds.rebuild('observation_patterns');
    const { rows } = await sql<{ position: string }>`
      select position from projection_checkpoints where name = 'observation_patterns'`.execute(t.db);
    expect(rows[0]!.position).toBe(rebuilt.position);
    expect(rebuilt.tables[0]!.rebuiltRows).toBe(first.tables[0]!.rebuiltRows);
    // A runner goes on from there, and a dry run then finds the table as the log has it.
    await plans.command(planIds[0]!, '/observations', {
      what: 'Calm in the library.',
      tags: ['location'],
      time: null,
      occurredOn: '2026-09-15',
    });
    const runner = new ProjectionRunner({
      store: app.store,
      db: t.db,
      leases: t.leases,
      projection: app.workerProjections[0]!,
      log: { info() {}, warn() {}, error() {} },
    });
    // On a shared PostgreSQL server another session's open transaction can hold the read horizon
    // back a moment: catch up until the new observation is applied.
    const patterns = async () =>
      (await sql<{ n: number }>`select count(*)::int as n from observation_patterns`.execute(t.db)).rows[0]!.n;
    const deadline = Date.now() + 20_000;
    do await runner.catchUp();
    while ((await patterns()) === rebuilt.tables[0]!.rebuiltRows && Date.now() < deadline);
    const after = await app.rebuilds.rebuild('observation_patterns', { dryRun: true });
    expect(after).toMatchObject({ liveBehind: false });
    expect(after.tables[0]).toMatchObject({ differing: 0 });
    expect(after.tables[0]!.rebuiltRows).toBeGreaterThan(rebuilt.tables[0]!.rebuiltRows);
  });

  it("rebuilds after a pupil's records are erased, reading erased as the live rows do", async () => {
    const planId = await plans.openPlan();
    const { rows } = await sql<{ pupil_id: string }>`select pupil_id from plan_views where plan_id = ${planId}`.execute(
      t.db,
    );
    const pupilId = rows[0]!.pupil_id;
    const admin = { id: 'admin-1', role: 'admin' as const, tenant: '801' };
    const erased = await plans.post(
      `/v1/pupils/${pupilId}/erasure`,
      { retentionClass: 'records', reason: 'Retention period ended.' },
      { as: admin },
    );
    expect(erased.statusCode, erased.body).toBe(200);
    const read = async () => [
      (await plans.get(`/v1/pupils/${pupilId}`)).json(),
      (await plans.get(`/v1/plans/${planId}`)).json(),
    ];
    const before = await read();
    expect(JSON.stringify(before)).toContain('[erased]');
    // The live rows stay sealed under the destroyed key; a rebuild cannot seal under it, and writes
    // the erased shape, which reads the same.
    for (const [name, key] of [
      ['plan_views', { plan_id: planId }],
      ['pupil_directory', { pupil_id: pupilId }],
    ] as const) {
      const dry = await app.rebuilds.rebuild(name, { dryRun: true });
      expect(dry.tables[0]!.differences).toEqual([{ table: name, key, kind: 'differs', columns: ['personal'] }]);
      expect(differing(await app.rebuilds.rebuild(name))).toBe(1);
      expect(differing(await app.rebuilds.rebuild(name, { dryRun: true }))).toBe(0);
    }
    expect(await read()).toEqual(before);
  });

  it('runs one rebuild of a projection at a time', async () => {
    const [first, second] = await Promise.allSettled([
      app.rebuilds.rebuild('pupil_directory'),
      app.rebuilds.rebuild('pupil_directory'),
    ]);
    expect(first).toMatchObject({ status: 'fulfilled', value: { switched: true } });
    expect(second).toMatchObject({ status: 'rejected', reason: expect.any(RebuildInProgress) });
    expect(differing(await app.rebuilds.rebuild('pupil_directory', { dryRun: true }))).toBe(0);
  });

  it('names the projections there are when asked for another', async () => {
    await expect(app.rebuilds.rebuild('plan_view')).rejects.toThrow(UnknownProjection);
    await expect(app.rebuilds.rebuild('plan_view')).rejects.toThrow(
      'Projections: plan_views, pupil_directory, attendance_marks, observation_patterns, analytics, caseload_alerts.',
    );
  });
});
