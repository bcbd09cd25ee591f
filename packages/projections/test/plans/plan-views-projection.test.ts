import { planEventCodec } from '@small-steps/contracts';
import {
  evolvePlan,
  initialState,
  type Plan,
  type PlanEvent,
  planPolicy,
  planView,
  RECENT_ATTEMPTS,
} from '@small-steps/domain';
import {
  activeCommands,
  gatheringCommands,
  historyOf,
  ids,
  recordAttempt,
  startStep,
} from '@small-steps/domain/testing';
import { type EventStoreSchema, type NewEvent, START_OF_LOG, TransactionTx } from '@small-steps/event-store';
import { readUntil, TEST_METADATA, type TestStore, testDatabases } from '@small-steps/event-store/testing';
import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AttemptRow,
  attemptsColumn,
  handlesType,
  isOneOpenPlanViolation,
  openView,
  type PlanViewsSchema,
  plainCipher,
  planFold,
  planViewsProjection,
  RECENT_VIEWS,
  readModelMigrations,
  StreamStates,
  viewOf,
  withAttempts,
} from '../../src/index.ts';

const databases = (await testDatabases()).filter((d) => d.skipReason === null);

const pupil = '5d2c1a4e-8f0b-4d1e-9c7a-2b3e4f5a6b7c';
const planIds = (n: number) => `0b7e6f0e-3c1e-4c56-9a43-5a0f3f1c2d${String(n).padStart(2, '0')}`;
const policy = planPolicy();

/** The plan's events as its commands decide them, under the given plan and pupil ids. */
function eventsOf(commands: ReturnType<typeof gatheringCommands>, planId: string, pupilId = pupil): PlanEvent[] {
  return historyOf(commands.map((c) => (c.type === 'OpenPlan' ? { ...c, data: { ...c.data, planId, pupilId } } : c)));
}

const viewAfter = (events: readonly PlanEvent[]) => viewOf(events.reduce(evolvePlan, initialState()), policy);

let nextId = 0;
const stored = (events: readonly PlanEvent[], tenant = '801'): NewEvent[] =>
  events.map((event) => ({
    id: `00000000-0000-4000-8000-${String(++nextId).padStart(12, '0')}`,
    ...planEventCodec.encode(event),
    metadata: { ...TEST_METADATA, actor: { ...TEST_METADATA.actor, tenant } },
  }));

const ROLLBACK = new Error('roll the rebuild back');
const LONG_STEP = 1000;

type PlanNode = Record<string, unknown> & { Plans?: PlanNode[] };
/** Every node of an `explain (format json)` plan, the top one first. */
const nodesOf = (explained: unknown): PlanNode[] => {
  const [{ Plan }] = (typeof explained === 'string' ? JSON.parse(explained) : explained) as [{ Plan: PlanNode }];
  const all: PlanNode[] = [];
  const visit = (node: PlanNode) => {
    all.push(node);
    for (const child of node.Plans ?? []) visit(child);
  };
  visit(Plan);
  return all;
};

describe.each(databases)('plan views on $name', (factory) => {
  let test: TestStore;
  let db: Kysely<PlanViewsSchema>;
  let states: StreamStates<Plan>;
  beforeAll(async () => {
    test = await factory.create({ extraMigrations: readModelMigrations });
    db = test.db.withTables<PlanViewsSchema>();
    states = new StreamStates(test.store, planFold);
  });
  afterAll(async () => test?.dispose());

  const projection = () => planViewsProjection({ states, policyFor: () => policy, cipher: plainCipher });
  /** Appends the events to the plan's stream with the view's writes in its statement, as a command does. */
  const append = (planId: string, events: readonly PlanEvent[], tenant = '801') =>
    test.store.append(`plan-${planId}`, stored(events, tenant), {
      expectedVersion: 'any',
      inline: (recorded, tx) => projection().apply(recorded, tx),
    });
  const refusal = (promise: Promise<unknown>) =>
    promise.then(
      () => null,
      (error: unknown) => error,
    );
  const read = async (planId: string) => {
    const row = await db
      .selectFrom('plan_views as v')
      .select([
        'view',
        'personal',
        'version',
        'opened_position',
        'status',
        'school_urns',
        'tenant',
        'pupil_id',
        'updated_at',
      ])
      .select(attemptsColumn.as('attempts'))
      .where('plan_id', '=', planId)
      .executeTakeFirstOrThrow();
    const view = await openView(plainCipher, row.view, row.personal);
    return { ...row, whole: await withAttempts(plainCipher, view, row.attempts) };
  };
  const tables = async (handle: Kysely<object>) => ({
    views: (await sql<{ row: unknown }>`select to_jsonb(v) as row from plan_views v order by plan_id`.execute(handle))
      .rows,
    attempts: (
      await sql<{ row: unknown }>`
        select to_jsonb(a) as row from plan_step_attempts a order by plan_id, step_id, number`.execute(handle)
    ).rows,
  });

  it("writes a plan's view from its events, with the position where it opened and the time of its last event", async () => {
    const events = eventsOf(gatheringCommands(), planIds(1));
    const first = await append(planIds(1), events.slice(0, 1));
    const rest = await append(planIds(1), events.slice(1));
    const row = await read(planIds(1));
    expect(row).toMatchObject({ tenant: '801', pupil_id: pupil, status: 'gathering', school_urns: ['100001'] });
    expect(row.version).toBe(events.length);
    expect(row.opened_position).toBe(first.events[0]!.position);
    expect(row.updated_at).toEqual(rest.events.at(-1)!.recordedAt);
    expect(row.whole).toEqual(viewAfter(events));
  });

  it('keeps attempts in rows of their own and gives them back in order, with the habituation curve', async () => {
    const planId = planIds(5);
    const events = eventsOf(
      [...activeCommands(), startStep(1), recordAttempt(1, { anxietyAfter: 3 }), recordAttempt(1, { anxietyAfter: 1 })],
      planId,
      planIds(60),
    );
    await append(planId, events.slice(0, -1));
    states.forget(`plan-${planId}`);
    await append(planId, events.slice(-1));
    const row = await read(planId);
    expect(row.whole).toEqual(viewAfter(events));
    const [first] = row.view.goals[0]!.ladder;
    expect(first).toMatchObject({ stepId: ids.step(1), attempts: [] });
    expect(row.whole.goals[0]!.ladder[0]!.habituation.map((p) => p.anxietyAfter)).toEqual([3, 1]);
  });

  it("fetches only a step's latest attempts, even through the bitmap scan chosen on stale statistics", async () => {
    const planId = planIds(30);
    const events = eventsOf(
      [...activeCommands(), startStep(1), recordAttempt(1), recordAttempt(1)],
      planId,
      planIds(31),
    );
    await append(planId, events);
    await test.db
      .transaction()
      .execute(async (trx) => {
        // A long practised step, written straight into its rows (rolled back: the log does not hold them).
        await sql`
          insert into plan_step_attempts (plan_id, step_id, number, attempt, personal)
          select plan_id, step_id, n, attempt || jsonb_build_object('minutes', n), personal
          from plan_step_attempts, generate_series(3, ${LONG_STEP}) as n
          where plan_id = ${planId}::uuid and number = 2`.execute(trx);
        // The plan PostgreSQL chose for the service's prepared read while its statistics gave each
        // step a handful of attempts: the step's rows through a bitmap and a sort, not the key
        // read backwards. Then only the range of the key that holds the latest may be fetched.
        await sql`set local enable_indexscan = off`.execute(trx);
        const read = sql`select ${attemptsColumn} as attempts from plan_views v where plan_id = ${sql.lit(planId)}::uuid`;
        const { rows } = await sql<{ attempts: AttemptRow[] }>`${read}`.execute(trx);
        const attempts = rows[0]!.attempts;
        expect(attempts.map(([, attempt]) => attempt.minutes)).toEqual(
          Array.from({ length: RECENT_ATTEMPTS }, (_, i) => LONG_STEP - RECENT_ATTEMPTS + 1 + i),
        );
        expect(attempts.every(([, , , total]) => Number(total) === LONG_STEP)).toBe(true);
        const plan = await sql<{ 'QUERY PLAN': unknown }>`explain (analyze, format json) ${read}`.execute(trx);
        const fetches = nodesOf(plan.rows[0]!['QUERY PLAN']).filter((node) => node.Alias === 'a');
        expect(fetches.map((node) => node['Node Type'])).toContain('Bitmap Heap Scan');
        for (const fetch of fetches) expect(fetch['Actual Rows']).toBeLessThanOrEqual(RECENT_ATTEMPTS);
        throw ROLLBACK;
      })
      .catch((error: unknown) => {
        if (error !== ROLLBACK) throw error;
      });
  });

  describe('an attempt after a view this projection stored', () => {
    // Each plan with a pupil of its own (planIds(10) has planIds(80)): a pupil has one open plan.
    const attempted = (planId: string, more: ReturnType<typeof recordAttempt>[]) =>
      eventsOf(
        [...activeCommands(), startStep(1), recordAttempt(1), ...more],
        planId,
        planIds(70 + (Number(planId.slice(-2)) % 20)),
      );
    /** Appends through one projection, as one process does, so it knows what it stored. */
    const appendWith = (one: ReturnType<typeof projection>, planId: string, events: readonly PlanEvent[]) =>
      test.store.append(`plan-${planId}`, stored(events), {
        expectedVersion: 'any',
        inline: (recorded, tx) => one.apply(recorded, tx),
      });
    // A mark only the database holds: whether it survives says whether the view was sent again.
    const markStoredView = (planId: string) =>
      sql`update plan_views set view = view || '{"marked": true}'::jsonb where plan_id = ${planId}::uuid`.execute(db);

    it('moves only the version and time on when the view less its attempts is unchanged', async () => {
      const planId = planIds(10);
      const events = attempted(planId, [recordAttempt(1, { anxietyAfter: 1 })]);
      const one = projection();
      await appendWith(one, planId, events.slice(0, -1));
      await markStoredView(planId);
      const last = await appendWith(one, planId, events.slice(-1));
      const row = await read(planId);
      expect(row.view).toMatchObject({ marked: true });
      expect(row.version).toBe(events.length);
      expect(row.updated_at).toEqual(last.events[0]!.recordedAt);
      const { marked: _, ...whole } = row.whole as typeof row.whole & { marked: boolean };
      expect(whole).toEqual(viewAfter(events));
      await sql`update plan_views set view = view - 'marked' where plan_id = ${planId}::uuid`.execute(db);
    });

    it('writes the view whole when the attempt changes it (an adult stretched the step)', async () => {
      const planId = planIds(11);
      const events = attempted(planId, [recordAttempt(1, { minutes: 90, extendedBy: 'adult' })]);
      const one = projection();
      await appendWith(one, planId, events.slice(0, -1));
      await markStoredView(planId);
      await appendWith(one, planId, events.slice(-1));
      const row = await read(planId);
      expect(row.whole.advisories.map((a) => a.rule)).toContain('agreed-step-stretched');
      expect(row.whole).toEqual(viewAfter(events));
    });

    it('writes the view whole when another process stored the version before', async () => {
      const planId = planIds(12);
      const events = attempted(planId, [recordAttempt(1, { anxietyAfter: 1 }), recordAttempt(1, { anxietyAfter: 0 })]);
      const one = projection();
      await appendWith(one, planId, events.slice(0, -2));
      await appendWith(projection(), planId, events.slice(-2, -1));
      await markStoredView(planId);
      await appendWith(one, planId, events.slice(-1));
      expect((await read(planId)).whole).toEqual(viewAfter(events));
    });

    it('does not count a write whose append failed as stored', async () => {
      const planId = planIds(13);
      const events = attempted(planId, [recordAttempt(1, { anxietyAfter: 1 }), recordAttempt(1, { anxietyAfter: 0 })]);
      const one = projection();
      await appendWith(one, planId, events.slice(0, -2));
      const refused = await refusal(
        test.store.append(`plan-${planId}`, stored(events.slice(-2, -1)), {
          expectedVersion: 'any',
          inline: async (recorded, tx) => {
            await one.apply(recorded, tx);
            // A write of the same statement that fails (a null key), so the append fails after the view's writes.
            await tx.execute(sql`insert into plan_step_attempts (plan_id) values (null)`);
          },
        }),
      );
      expect(refused).not.toBeNull();
      // Another process stores that version; the first must not take it for the one it tried to write.
      await appendWith(projection(), planId, events.slice(-2, -1));
      await markStoredView(planId);
      await appendWith(one, planId, events.slice(-1));
      expect((await read(planId)).whole).toEqual(viewAfter(events));
    });
  });

  it('changes nothing when the append stores no event (an idempotent repeat)', async () => {
    const planId = planIds(6);
    const batch = stored(eventsOf(gatheringCommands(), planId, planIds(61)));
    const inline = { inline: projection().apply.bind(undefined) } as const;
    await test.store.append(`plan-${planId}`, batch, { expectedVersion: 'no_stream', ...inline });
    const before = await read(planId);
    const repeat = await test.store.append(`plan-${planId}`, batch, { expectedVersion: 'no_stream', ...inline });
    expect(repeat.wasRepeat).toBe(true);
    expect(await read(planId)).toEqual(before);
  });

  it('refuses a second open plan for the same pupil in the same LA, storing neither view nor event', async () => {
    const error = await refusal(append(planIds(2), eventsOf(gatheringCommands(), planIds(2))));
    expect(isOneOpenPlanViolation(error)).toBe(true);
    expect(await test.store.readStream(`plan-${planIds(2)}`)).toEqual([]);
  });

  it("allows another LA's pupil of the same id an open plan", async () => {
    expect(await refusal(append(planIds(4), eventsOf(gatheringCommands(), planIds(4)), '802'))).toBeNull();
  });

  it('does not mistake other unique violations for one-open-plan', async () => {
    const error = await refusal(
      sql`insert into plan_views (plan_id, tenant, pupil_id, school_urns, status, view, version, opened_position)
        values (${planIds(1)}::uuid, '801', ${planIds(50)}::uuid, '[]', 'closed', '{}', 1, 1)`.execute(db),
    );
    expect(error).not.toBeNull();
    expect(isOneOpenPlanViolation(error)).toBe(false);
  });

  it('builds the same rows from the log in one transaction, remembering no state, as it wrote inline', async () => {
    const live = await tables(test.db);
    // Every event stored, once all can be read (another session on the server may hold the horizon back).
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from events`.execute(test.db);
    const log = await readUntil(test.store, START_OF_LOG, (events) => events.length >= rows[0]!.n);
    const fresh = planViewsProjection({
      states: new StreamStates(test.store, planFold),
      policyFor: () => policy,
      cipher: plainCipher,
    });
    let rebuilt: Awaited<ReturnType<typeof tables>> | undefined;
    await test.db
      .transaction()
      .execute(async (trx) => {
        await sql`delete from plan_step_attempts`.execute(trx);
        await sql`delete from plan_views`.execute(trx);
        const events = log.events.filter((event) => handlesType(fresh, event.type));
        await fresh.apply(events, new TransactionTx(trx.withTables<EventStoreSchema>()));
        rebuilt = await tables(trx);
        throw ROLLBACK;
      })
      .catch((error: unknown) => {
        if (error !== ROLLBACK) throw error;
      });
    expect(live.views.length).toBeGreaterThan(2);
    expect(rebuilt).toEqual(live);
  });
});

describe('the view of a plan state', () => {
  const states = (() => {
    const events = eventsOf(gatheringCommands(), planIds(90));
    return events.map((_, i) => events.slice(0, i + 1).reduce(evolvePlan, initialState()));
  })();
  const later = states.at(-1)!;
  const earlier = states.at(-2)!;

  it('is shaped once per state and policy: asking again answers the same view', () => {
    expect(viewOf(later, policy)).toBe(viewOf(later, policy));
  });

  it('is the view of the state asked about, whichever state of the plan was asked before', () => {
    const latest = viewOf(later, policy);
    expect(viewOf(earlier, policy)).toEqual(planView(earlier, policy));
    expect(viewOf(earlier, policy)).not.toEqual(latest);
    expect(viewOf(later, policy)).toEqual(planView(later, policy));
  });

  it('is kept only while recent: once as many other views are shaped since, it is shaped anew', () => {
    const events = eventsOf(gatheringCommands(), planIds(91));
    // Each fold is a state of its own, whose view is shaped anew.
    const fold = () => events.reduce(evolvePlan, initialState());
    const state = fold();
    const first = viewOf(state, policy);
    for (let i = 1; i < RECENT_VIEWS; i++) viewOf(fold(), policy);
    expect(viewOf(state, policy)).toBe(first);
    viewOf(fold(), policy);
    const again = viewOf(state, policy);
    expect(again).not.toBe(first);
    expect(again).toEqual(first);
  });

  it('is shaped again under another policy', () => {
    const other = planPolicy({ masteryAttempts: 3 });
    expect(viewOf(later, other)).toEqual(planView(later, other));
    expect(viewOf(later, other)).not.toBe(viewOf(later, policy));
  });
});
