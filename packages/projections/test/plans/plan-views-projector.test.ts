import { evolvePlan, initialState, type PlanView, planPolicy, planView } from '@small-steps/domain';
import { gatheringCommands, historyOf } from '@small-steps/domain/testing';
import { type TestStore, testDatabases } from '@small-steps/event-store/testing';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  isOneOpenPlanViolation,
  type PlanViewsSchema,
  readModelMigrations,
  writePlanViewRow,
} from '../../src/index.ts';

const databases = (await testDatabases()).filter((d) => d.skipReason === null);

const pupil = '5d2c1a4e-8f0b-4d1e-9c7a-2b3e4f5a6b7c';
const planIds = (n: number) => `0b7e6f0e-3c1e-4c56-9a43-5a0f3f1c2d${String(n).padStart(2, '0')}`;

/** A gathering plan's view under the given plan and pupil ids. */
function viewOf(planId: string, pupilId = pupil): PlanView {
  const commands = gatheringCommands().map((c) =>
    c.type === 'OpenPlan' ? { ...c, data: { ...c.data, planId, pupilId } } : c,
  );
  return planView(historyOf(commands).reduce(evolvePlan, initialState()), planPolicy())!;
}

const closed = (view: PlanView): PlanView => ({ ...view, status: 'closed' });

describe.each(databases)('plan views on $name', (factory) => {
  let test: TestStore;
  let db: Kysely<PlanViewsSchema>;
  beforeAll(async () => {
    test = await factory.create({ extraMigrations: readModelMigrations });
    db = test.store.db as unknown as Kysely<PlanViewsSchema>;
  });
  afterAll(async () => test?.dispose());

  const write = (view: PlanView, version: number, tenant = '801') =>
    writePlanViewRow(db, { tenant, view, version, openedPosition: BigInt(version) });
  const refusal = (promise: Promise<void>) =>
    promise.then(
      () => null,
      (error: unknown) => error,
    );

  it("writes a plan's view with its status, settings and version, and keeps where it opened", async () => {
    const view = viewOf(planIds(1));
    await write(view, 1);
    await writePlanViewRow(db, { tenant: '801', view, version: 9, openedPosition: 99n });
    const row = await db
      .selectFrom('plan_views')
      .selectAll()
      .where('plan_id', '=', planIds(1))
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      tenant: '801',
      pupil_id: pupil,
      status: 'gathering',
      school_urns: ['100001'],
      version: 9,
    });
    expect(row.view).toEqual(view);
    expect(row.opened_position).toBe(1n);
  });

  it('refuses a second open plan for the same pupil in the same LA', async () => {
    const error = await refusal(write(viewOf(planIds(2)), 1));
    expect(isOneOpenPlanViolation(error)).toBe(true);
  });

  it("allows the pupil a new plan once the open one is closed, and another LA's pupil of the same id", async () => {
    await write(closed(viewOf(planIds(1))), 10);
    expect(await refusal(write(viewOf(planIds(3)), 1))).toBeNull();
    expect(await refusal(write(viewOf(planIds(4)), 1, '802'))).toBeNull();
  });

  it('does not mistake other unique violations for one-open-plan', async () => {
    const error = await refusal(
      db
        .insertInto('plan_views')
        .values({
          plan_id: planIds(3),
          tenant: '801',
          pupil_id: planIds(50),
          school_urns: '[]',
          status: 'closed',
          view: '{}',
          version: 1,
          opened_position: 1n,
          updated_at: new Date(),
        })
        .execute()
        .then(() => undefined),
    );
    expect(isOneOpenPlanViolation(error)).toBe(false);
  });
});
