import type { FeedEvent } from '@small-steps/contracts';
import type { Principal } from '@small-steps/domain';
import { type EventStore, type NewEvent, type ReadAllOptions, START_OF_LOG } from '@small-steps/event-store';
import { readUntil, TEST_METADATA, type TestStore, testDatabases } from '@small-steps/event-store/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessLog, FeedReads, InvalidCursor, readModelMigrations } from '../../src/index.ts';

const databases = (await testDatabases()).filter((d) => d.skipReason === null);

const SCHOOLS = ['100001', '100002', '100003', '100004', '100005', '100006'];
const DAYS = ['2026-10-12', '2026-10-13', '2026-10-14', '2026-10-15', '2026-10-16'];
const pupil = '11111111-1111-4111-8111-111111111111';
let nextId = 0;
const register = (schoolUrn: string, date: string): NewEvent => ({
  id: `00000000-0000-4000-8000-${String(++nextId).padStart(12, '0')}`,
  type: 'AttendanceRecorded',
  schemaVersion: 2,
  data: { schoolUrn, date, recordedAt: '2026-10-16T16:00:00.000Z', marks: { [pupil]: { AM: '/' } } },
  metadata: { ...TEST_METADATA, actor: { id: 'officer-1', role: 'la_officer', tenant: '801' } },
});

const staff: Principal = { id: 'staff-1', role: 'school_staff', tenant: '801', schoolUrn: '100003' };
const laSystem: Principal = { id: 'system-1', role: 'la_system', tenant: '801' };

describe.each(databases)('the change feed read on $name', (factory) => {
  let test: TestStore;
  const reads: number[] = [];
  let feed: (options?: ConstructorParameters<typeof FeedReads>[3]) => FeedReads;
  beforeAll(async () => {
    test = await factory.create({ extraMigrations: readModelMigrations });
    for (const date of DAYS) {
      for (const schoolUrn of SCHOOLS) {
        await test.store.append(`attendance-801-${schoolUrn}-${date}`, [register(schoolUrn, date)], {
          expectedVersion: 'no_stream',
        });
      }
    }
    // Once every event appended can be read: another session on a shared server may hold the horizon back.
    await readUntil(test.store, START_OF_LOG, (events) => events.length >= DAYS.length * SCHOOLS.length);
    // The store, counting the events each read of the log returns.
    const counted: EventStore = {
      ...test.store,
      async readAll(options?: ReadAllOptions) {
        const read = await test.store.readAll(options);
        reads.push(read.events.length);
        return read;
      },
    };
    feed = (options) => new FeedReads(counted, test.db, new AccessLog(test.db, () => new Date()), options);
  });
  afterAll(async () => test?.dispose());

  /** Every page from the start until one comes back with nothing new. */
  async function readAll(reader: FeedReads, as: Principal, limit: number) {
    const items: FeedEvent[] = [];
    const pages: number[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await reader.page(as, { limit, ...(after === undefined ? {} : { after }) });
      if (page.next === after) return { items, pages };
      items.push(...page.items);
      pages.push(new Set(page.items.map((item) => item.eventId)).size);
      after = page.next;
    }
  }

  it('reads a bounded number of events per request for school staff, moving past those they may not see', async () => {
    reads.length = 0;
    const { items, pages } = await readAll(feed({ schoolScan: 4 }), staff, 3);
    expect(items.map((item) => item.streamId)).toEqual(DAYS.map((date) => `attendance-801-100003-${date}`));
    expect(Math.max(...reads)).toBeLessThanOrEqual(4);
    expect(pages.length).toBeGreaterThanOrEqual(Math.ceil((SCHOOLS.length * DAYS.length) / 4));
    // Pages with none of the school's events still move the cursor on.
    expect(pages.filter((shown) => shown === 0).length).toBeGreaterThan(0);
  });

  it('stops a page of school staff at `limit` events, and goes on after the last one shown', async () => {
    const { items, pages } = await readAll(feed({ schoolScan: 100 }), staff, 2);
    expect(items.map((item) => item.data.date)).toEqual(DAYS);
    expect(pages.slice(0, 3)).toEqual([2, 2, 1]);
  });

  it('gives an LA reader every event, and bounds a read with kind filters by what it looks at', async () => {
    const { items } = await readAll(feed(), laSystem, 7);
    expect(items).toHaveLength(SCHOOLS.length * DAYS.length);
    reads.length = 0;
    const plansOnly = await feed({ maxScanned: 10 }).page(laSystem, { limit: 5, kinds: ['plan'] });
    expect(plansOnly.items).toEqual([]);
    const again = await feed({ maxScanned: 10 }).page(laSystem, { limit: 5, kinds: ['plan'], after: plansOnly.next });
    expect(again.next).not.toBe(plansOnly.next);
  });

  it('refuses a cursor it did not give out, and a role that may not read the feed', async () => {
    await expect(feed().page(laSystem, { limit: 5, after: 'bm9wZQ' })).rejects.toBeInstanceOf(InvalidCursor);
    await expect(feed().page({ ...laSystem, role: 'analyst' }, { limit: 5 })).rejects.toThrow(/analyst/);
  });
});
