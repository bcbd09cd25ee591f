import { planEventCodec } from '@small-steps/contracts';
import { addDays, type Plan, type PlanEvent, planPolicy } from '@small-steps/domain';
import {
  activeCommands,
  command,
  gatheringCommands,
  historyOf,
  people,
  recordView,
  testCalendar,
} from '@small-steps/domain/testing';
import { type NewEvent, START_OF_LOG } from '@small-steps/event-store';
import { readUntil, TEST_METADATA, type TestStore, testDatabases } from '@small-steps/event-store/testing';
import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AlertContextFor,
  CASELOAD_ALERTS,
  CaseloadAlertSchedule,
  caseloadAlertsProjection,
  ProjectionWorker,
  planFold,
  type RunnerLog,
  readModelMigrations,
  StreamStates,
} from '../../src/index.ts';

const databases = (await testDatabases()).filter((d) => d.skipReason === null);

const silent: RunnerLog = { info() {}, warn() {}, error() {} };
const contextFor: AlertContextFor = () => ({ policy: planPolicy(), calendar: testCalendar });
const pupilOf = (n: number) => `5d2c1a4e-8f0b-4d1e-9c7a-2b3e4f5a6b${String(n).padStart(2, '0')}`;
const planOf = (n: number) => `0b7e6f0e-3c1e-4c56-9a43-5a0f3f1c2d${String(n).padStart(2, '0')}`;

let nextId = 0;
const stored = (events: readonly PlanEvent[]): NewEvent[] =>
  events.map((event) => ({
    id: `00000000-0000-4000-8000-${String(++nextId).padStart(12, '0')}`,
    ...planEventCodec.encode(event),
    metadata: TEST_METADATA,
  }));

/** The plan's events under the given ids, grouped by the day each was decided. */
function eventsOf(commands: ReturnType<typeof gatheringCommands>, n: number): PlanEvent[] {
  return historyOf(
    commands.map((c) =>
      c.type === 'OpenPlan' ? { ...c, data: { ...c.data, planId: planOf(n), pupilId: pupilOf(n) } } : c,
    ),
  );
}

const openAlerts = async (db: Kysely<object>) =>
  (
    await sql<{ plan_id: string; kind: string; since: string; raised_at: Date }>`
      select plan_id, kind, since::text as since, raised_at from caseload_alerts order by plan_id, kind`.execute(db)
  ).rows;
const history = async (db: Kysely<object>) =>
  (
    await sql<Record<string, unknown>>`
      select plan_id, kind, tenant, school_urn, reason, since::text as since, raised_at, cleared_at
      from caseload_alert_history order by plan_id, kind, raised_at`.execute(db)
  ).rows;

describe.each(databases)('caseload alerts on $name', (factory) => {
  let test: TestStore;
  let now = new Date('2025-09-08T08:00:00Z');
  const worker = (batchSize = 100) =>
    new ProjectionWorker({
      storage: { store: test.store, db: test.db, leases: test.leases },
      projections: [caseloadAlertsProjection({ states: new StreamStates<Plan>(test.store, planFold), contextFor })],
      log: silent,
      batchSize,
    });
  /** Applies the log, then lets the lease go, as a worker that stops does. */
  const catchUp = async (batchSize?: number) => {
    // Another session on a shared server can hold the read horizon back: wait for the last append.
    const last = `00000000-0000-4000-8000-${String(nextId).padStart(12, '0')}`;
    await readUntil(test.store, START_OF_LOG, (events) => events.some((e) => e.id === last));
    await worker(batchSize).catchUp();
    await test.leases.release(CASELOAD_ALERTS);
  };
  /** Appends a plan's events, each recorded on the morning of the day it happened. */
  const append = async (streamId: string, events: PlanEvent[]) => {
    for (const event of events) {
      now = new Date(`${event.data.occurredOn}T08:00:00Z`);
      await test.store.append(streamId, stored([event]), { expectedVersion: 'any' });
    }
  };

  beforeAll(async () => {
    test = await factory.create({ extraMigrations: readModelMigrations, clock: () => now });
  });
  afterAll(async () => test?.dispose());

  it('raises an alert at the event that finds it due, clears it at the event that ends it, keeps both', async () => {
    const gathering = eventsOf(gatheringCommands(), 1);
    await append(`plan-${planOf(1)}`, gathering);
    await catchUp();
    expect(await openAlerts(test.db)).toEqual([]);
    // Four school weeks after opening (6 October), a view recorded finds the plan still gathering.
    await append(`plan-${planOf(1)}`, historyOf([...gatheringCommands(), recordView('pupil', '2025-10-06')]).slice(-1));
    await catchUp();
    expect(await openAlerts(test.db)).toEqual([
      {
        plan_id: planOf(1),
        kind: 'gathering_too_long',
        since: '2025-10-06',
        raised_at: new Date('2025-10-06T08:00:00Z'),
      },
    ]);
    const all = eventsOf(
      [
        ...gatheringCommands(),
        recordView('pupil', '2025-10-06'),
        ...activeCommands()
          .slice(-1)
          .map((c) => ({ ...c, metadata: { ...c.metadata, occurredOn: '2025-10-07', now: '2025-10-07T08:00:00Z' } })),
      ],
      1,
    );
    await append(`plan-${planOf(1)}`, all.slice(gathering.length + 1));
    await catchUp();
    expect(await openAlerts(test.db)).toEqual([]);
    expect(await history(test.db)).toEqual([
      expect.objectContaining({
        kind: 'gathering_too_long',
        since: '2025-10-06',
        raised_at: new Date('2025-10-06T08:00:00Z'),
        cleared_at: new Date('2025-10-07T08:00:00Z'),
        reason: expect.stringMatching(/^The plan has been gathering information for 4 school weeks/),
      }),
    ]);
  });

  it('raises time-based alerts as days pass with no event at all, and attendance alerts', async () => {
    await append(`plan-${planOf(2)}`, eventsOf(activeCommands(), 2));
    await catchUp();
    let clock = new Date('2025-09-12T16:00:00Z');
    const schedule = new CaseloadAlertSchedule({
      db: test.db,
      states: new StreamStates<Plan>(test.store, planFold),
      contextFor,
      clock: () => clock,
      log: silent,
    });
    await schedule.evaluate();
    const mine = async () => (await openAlerts(test.db)).filter((a) => a.plan_id === planOf(2));
    expect(await mine()).toEqual([]);

    const version = await test.store.streamVersion(`plan-${planOf(2)}`);
    // Step 1, agreed on Friday 12 September and never started, is idle five school days later.
    clock = new Date('2025-09-19T06:00:00Z');
    await schedule.evaluate();
    expect(await mine()).toEqual([
      { plan_id: planOf(2), kind: 'current_step_not_practised', since: '2025-09-19', raised_at: clock },
    ]);
    clock = new Date('2025-09-25T16:00:00Z');
    await schedule.evaluate();
    expect((await mine()).map((a) => a.kind)).toEqual(['current_step_not_practised']);
    clock = new Date('2025-09-26T06:00:00Z');
    await schedule.evaluate();
    expect((await mine()).find((a) => a.kind === 'no_family_contact')).toEqual({
      plan_id: planOf(2),
      kind: 'no_family_contact',
      since: '2025-09-26',
      raised_at: clock,
    });
    expect(await test.store.streamVersion(`plan-${planOf(2)}`)).toBe(version);

    // Two weeks absent: half the year's sessions missed.
    const rows = [];
    for (const weekStart of ['2025-09-15', '2025-09-22']) {
      for (let d = 0; d < 5; d++) {
        for (const session of ['AM', 'PM']) {
          rows.push(
            sql`('801', ${pupilOf(2)}::uuid, '100001', ${addDays(weekStart, d)}::date, ${session}, 'O', now(), 0)`,
          );
        }
      }
    }
    await sql`insert into attendance_marks (tenant, pupil_id, school_urn, date, session, code, recorded_at, recorded_position)
      values ${sql.join(rows)}`.execute(test.db);
    await schedule.evaluate();
    expect((await mine()).map((a) => a.kind)).toEqual([
      'current_step_not_practised',
      'no_family_contact',
      'severely_absent',
    ]);

    // A family contact recorded: the projection clears that alert with the event.
    const contact = command(
      'RecordFamilyContact',
      { channel: 'phone', by: people.keyAdult, summary: null },
      '2025-09-26',
    );
    await append(`plan-${planOf(2)}`, eventsOf([...activeCommands(), contact], 2).slice(-1));
    await catchUp();
    expect((await mine()).map((a) => a.kind)).toEqual(['current_step_not_practised', 'severely_absent']);
    const cleared = (await history(test.db)).find((h) => h.plan_id === planOf(2) && h.kind === 'no_family_contact');
    expect(cleared).toMatchObject({
      raised_at: new Date('2025-09-26T06:00:00Z'),
      cleared_at: new Date('2025-09-26T08:00:00Z'),
    });

    // Closing the plan clears what is left.
    const close = command('ClosePlan', { outcome: 'other', summary: 'Moved away.', followUpOn: null }, '2025-09-29');
    await append(`plan-${planOf(2)}`, eventsOf([...activeCommands(), contact, close], 2).slice(-1));
    await catchUp();
    expect(await mine()).toEqual([]);
    const { rows: subjects } = await sql<{ open: boolean }>`
      select open from caseload_alert_plans where plan_id = ${planOf(2)}::uuid`.execute(test.db);
    expect(subjects).toEqual([{ open: false }]);
  });

  it('rebuilds from the log, one event per batch, to the same rows as it kept live', async () => {
    const live = { alerts: await openAlerts(test.db), history: await history(test.db) };
    // The schedule's raises are not in the log: compare the plan only events have judged.
    await sql`truncate caseload_alerts, caseload_alert_history, caseload_alert_plans`.execute(test.db);
    await sql`delete from projection_checkpoints where name = ${CASELOAD_ALERTS}`.execute(test.db);
    await catchUp(1);
    const rebuilt = { alerts: await openAlerts(test.db), history: await history(test.db) };
    const fromEvents = (rows: Record<string, unknown>[]) => rows.filter((r) => r.plan_id === planOf(1));
    expect(fromEvents(rebuilt.history)).toEqual(fromEvents(live.history));
    expect(fromEvents(rebuilt.alerts)).toEqual(fromEvents(live.alerts));
  });
});
