import { randomUUID } from 'node:crypto';
import { evolvePlan, initialState, type Plan, type PlanView, planPolicy, planView } from '@small-steps/domain';
import {
  activeCommands,
  gatheringCommands,
  historyOf,
  ids,
  masteredCommands,
  recordAttempt,
  startStep,
} from '@small-steps/domain/testing';
import { type TestStore, testDatabases, testEvent } from '@small-steps/event-store/testing';
import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  attemptsColumn,
  isOneOpenPlanViolation,
  type NewAttempt,
  type PlanViewsSchema,
  planViewWrites,
  readModelMigrations,
  withAttempts,
} from '../../src/index.ts';

const databases = (await testDatabases()).filter((d) => d.skipReason === null);

const pupil = '5d2c1a4e-8f0b-4d1e-9c7a-2b3e4f5a6b7c';
const planIds = (n: number) => `0b7e6f0e-3c1e-4c56-9a43-5a0f3f1c2d${String(n).padStart(2, '0')}`;

/** The plan its commands make, under the given plan and pupil ids. */
function planOf(commands: ReturnType<typeof gatheringCommands>, planId: string, pupilId = pupil): Plan {
  const renamed = commands.map((c) => (c.type === 'OpenPlan' ? { ...c, data: { ...c.data, planId, pupilId } } : c));
  return historyOf(renamed).reduce(evolvePlan, initialState());
}

const viewOf = (plan: Plan): PlanView => planView(plan, planPolicy())!;
const closed = (view: PlanView): PlanView => ({ ...view, status: 'closed' });

describe.each(databases)('plan views on $name', (factory) => {
  let test: TestStore;
  let db: Kysely<PlanViewsSchema>;
  beforeAll(async () => {
    test = await factory.create({ extraMigrations: readModelMigrations });
    db = test.store.db as unknown as Kysely<PlanViewsSchema>;
  });
  afterAll(async () => test?.dispose());

  /** Appends one event to the plan's stream with the view's writes, as a command does. */
  const write = async (view: PlanView, options: { tenant?: string; newAttempts?: NewAttempt[] } = {}) => {
    const { tenant = '801', newAttempts = [] } = options;
    const streamId = `plan-${view.planId}`;
    return test.store.append(streamId, [testEvent(randomUUID())], {
      expectedVersion: 'any',
      alongside: planViewWrites({ tenant, view, version: 1, newAttempts }),
    });
  };
  const refusal = (promise: Promise<unknown>) =>
    promise.then(
      () => null,
      (error: unknown) => error,
    );
  const read = async (planId: string) => {
    const row = await db
      .selectFrom('plan_views as v')
      .select(['view', 'version', 'opened_position', 'status', 'school_urns', 'tenant', 'pupil_id'])
      .select(attemptsColumn.as('attempts'))
      .where('plan_id', '=', planId)
      .executeTakeFirstOrThrow();
    return { ...row, whole: withAttempts(row.view, row.attempts) };
  };

  it("writes a plan's view with its status and settings, and keeps the position where it opened", async () => {
    const view = viewOf(planOf(gatheringCommands(), planIds(1)));
    const first = await write(view);
    await write(view);
    const row = await read(planIds(1));
    expect(row).toMatchObject({ tenant: '801', pupil_id: pupil, status: 'gathering', school_urns: ['100001'] });
    expect(row.whole).toEqual(view);
    expect(row.opened_position).toBe(first.events[0]!.position);
  });

  it('keeps attempts in rows of their own and gives them back in order, with the habituation curve', async () => {
    const planId = planIds(5);
    const before = planOf(activeCommands(), planId, planIds(60));
    const commands = [...activeCommands(), startStep(1), recordAttempt(1, { anxietyAfter: 3 })];
    const once = planOf(commands, planId, planIds(60));
    const twice = planOf([...commands, recordAttempt(1, { anxietyAfter: 1 })], planId, planIds(60));
    const attemptsOf = (plan: Plan) => (plan.status === 'none' ? [] : plan.steps[ids.step(1)]!.attempts);
    expect(attemptsOf(before)).toEqual([]);
    await write(viewOf(once), { newAttempts: [{ stepId: ids.step(1), number: 1, attempt: attemptsOf(once)[0]! }] });
    await write(viewOf(twice), { newAttempts: [{ stepId: ids.step(1), number: 2, attempt: attemptsOf(twice)[1]! }] });

    const row = await read(planId);
    expect(row.whole).toEqual(viewOf(twice));
    const stored = row.view.goals[0]!.ladder[0]!;
    expect(stored.attempts).toEqual([]);
    expect(row.whole.goals[0]!.ladder[0]!.habituation.map((p) => p.anxietyAfter)).toEqual([3, 1]);
  });

  it('writes nothing when the append stores no event (an idempotent repeat)', async () => {
    const view = viewOf(planOf([...activeCommands(), ...masteredCommands(1, '2025-09-15')], planIds(6), planIds(61)));
    const event = testEvent(randomUUID());
    const streamId = `plan-${view.planId}`;
    await test.store.append(streamId, [event], { expectedVersion: 'no_stream' });
    const repeat = await test.store.append(streamId, [event], {
      expectedVersion: 'no_stream',
      alongside: planViewWrites({ tenant: '801', view, version: 1, newAttempts: [] }),
    });
    expect(repeat.wasRepeat).toBe(true);
    const rows = await db.selectFrom('plan_views').select('plan_id').where('plan_id', '=', planIds(6)).execute();
    expect(rows).toEqual([]);
  });

  it('refuses a second open plan for the same pupil in the same LA, storing neither view nor event', async () => {
    const view = viewOf(planOf(gatheringCommands(), planIds(2)));
    const error = await refusal(write(view));
    expect(isOneOpenPlanViolation(error)).toBe(true);
    expect(await test.store.readStream(`plan-${planIds(2)}`)).toEqual([]);
  });

  it("allows the pupil a new plan once the open one is closed, and another LA's pupil of the same id", async () => {
    await write(closed(viewOf(planOf(gatheringCommands(), planIds(1)))));
    expect(await refusal(write(viewOf(planOf(gatheringCommands(), planIds(3)))))).toBeNull();
    expect(await refusal(write(viewOf(planOf(gatheringCommands(), planIds(4))), { tenant: '802' }))).toBeNull();
  });

  it('does not mistake other unique violations for one-open-plan', async () => {
    const error = await refusal(
      sql`insert into plan_views (plan_id, tenant, pupil_id, school_urns, status, view, version, opened_position)
        values (${planIds(3)}::uuid, '801', ${planIds(50)}::uuid, '[]', 'closed', '{}', 1, 1)`.execute(db),
    );
    expect(error).not.toBeNull();
    expect(isOneOpenPlanViolation(error)).toBe(false);
  });
});
