import { randomUUID } from 'node:crypto';
import type { FeedEvent, FeedPage } from '@small-steps/contracts';
import { testUpn } from '@small-steps/domain/testing';
import { type NewEvent, START_OF_LOG } from '@small-steps/event-store';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../src/auth/principal.ts';
import { attendanceOf, type ClockedApp, startClockedApp } from '../attendance/attendance-given.ts';
import { databases, describeEachDatabase, officer, otherTenantOfficer, staffAt } from '../fixtures/test-app.ts';
import { plansOf } from '../plans/plan-given.ts';

// Tuesday 20 October 2026, 9 am in England: "today" for every command below.
const NOW = '2026-10-20T08:00:00.000Z';
const laSystem: Principal = { id: 'case-system-801', role: 'la_system', tenant: '801' };
const auditor: Principal = { id: 'auditor-1', role: 'auditor', tenant: '801' };
const analyst: Principal = { id: 'analyst-1', role: 'analyst', tenant: '801' };
const admin: Principal = { id: 'admin-1', role: 'admin', tenant: '801' };
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describeEachDatabase('the change feed', (factory) => {
  let t: ClockedApp;
  let plans: ReturnType<typeof plansOf>;
  let attendance: ReturnType<typeof attendanceOf>;
  beforeAll(async () => {
    t = await startClockedApp(factory, NOW);
    plans = plansOf(t);
    attendance = attendanceOf(t);
  });
  afterAll(async () => t?.close());

  const feed = async (query: string, as: Principal = laSystem): Promise<LightMyRequestResponse> =>
    t.app.inject({
      method: 'GET',
      url: `/v1/feed?${query}`,
      headers: { authorization: `Bearer ${await t.token(as)}` },
    });

  const page = async (query: string, as: Principal = laSystem): Promise<FeedPage> => {
    const response = await feed(query, as);
    if (response.statusCode !== 200) throw new Error(`feed answered ${response.statusCode}: ${response.body}`);
    return response.json();
  };

  const withAfter = (after: string | undefined, query: string) =>
    [after === undefined ? '' : `after=${after}`, query].filter(Boolean).join('&');

  /**
   * Reads pages from `after` until `isDone` holds for what was read. A commit on a shared server can
   * hold the read horizon back for a moment, so this waits (long-polls) rather than expecting it all at once.
   */
  const readUntil = async (
    after: string | undefined,
    isDone: (items: FeedEvent[]) => boolean,
    { query = 'limit=1000', as = laSystem }: { query?: string; as?: Principal } = {},
  ): Promise<{ items: FeedEvent[]; next: string; pages: number }> => {
    const items: FeedEvent[] = [];
    let cursor = after;
    let pages = 0;
    const deadline = Date.now() + 20_000;
    while (!isDone(items)) {
      if (Date.now() > deadline) throw new Error(`The feed gave only ${items.length} items.`);
      const next = await page(withAfter(cursor, `${query}&wait=1`), as);
      items.push(...next.items);
      cursor = next.next;
      pages++;
    }
    return { items, next: cursor!, pages };
  };

  /** The cursor at the end of the feed as it reads now. */
  const endOfFeed = async (as: Principal = laSystem, query = ''): Promise<string> => {
    let cursor: string | undefined;
    for (;;) {
      const next = await page(withAfter(cursor, `limit=1000${query}`), as);
      if (next.items.length === 0 && next.next === cursor) return next.next;
      cursor = next.next;
    }
  };

  const ofStream = (items: FeedEvent[], streamId: string) => items.filter((item) => item.streamId === streamId);
  const idsOf = (items: FeedEvent[]) => items.map((item) => `${item.eventId}/${item.part}`);

  it("reads the LA's events in log order, page by page, each continuing at `next`", async () => {
    const after = await endOfFeed();
    const pupilId = await plans.registerPupil('100001');
    const planId = await plans.openPlan('100001');
    await plans.command(planId, '/coping-strategies', { strategy: 'Box breathing', occurredOn: '2026-09-08' });
    const marked = await attendance.mark([{ pupilId, date: '2026-10-19', session: 'AM', code: '/' }]);
    expect(marked.statusCode).toBe(200);
    const isAll = (items: FeedEvent[]) => items.some((item) => item.type === 'AttendanceRecorded');
    const whole = await readUntil(after, isAll);
    const paged = await readUntil(after, (items) => items.length >= whole.items.length, { query: 'limit=2' });
    expect(idsOf(paged.items)).toEqual(idsOf(whole.items));
    expect(paged.pages).toBeGreaterThanOrEqual(Math.ceil(whole.items.length / 2));
    expect(whole.items.map((item) => item.type)).toEqual([
      'PupilRegistered',
      'PupilAdmitted',
      'PupilRegistered',
      'PupilAdmitted',
      'PlanOpened',
      'CopingStrategyTaught',
      'AttendanceRecorded',
    ]);
    const [registered] = ofStream(whole.items, `pupil-${pupilId}`);
    expect(registered).toMatchObject({
      part: 0,
      kind: 'pupil',
      version: 1,
      schemaVersion: 1,
      actor: { id: officer.id, role: 'la_officer' },
      data: { pupilId, yearGroup: '3' },
      personal: { givenName: 'Sam', familyName: 'Taylor', dateOfBirth: '2018-03-14' },
    });
    expect(Date.parse(registered!.recordedAt)).toBeGreaterThan(Date.now() - 60_000);
    const planEvents = ofStream(whole.items, `plan-${planId}`);
    expect(planEvents.map((item) => [item.type, item.kind, item.version])).toEqual([
      ['PlanOpened', 'plan', 1],
      ['CopingStrategyTaught', 'plan', 2],
    ]);
    expect(planEvents[1]).toMatchObject({
      data: { occurredOn: '2026-09-08' },
      personal: { strategy: 'Box breathing' },
    });
    expect(whole.items.at(-1)).toMatchObject({
      kind: 'attendance',
      streamId: 'attendance-801-100001-2026-10-19',
      schemaVersion: 2,
      data: { schoolUrn: '100001', date: '2026-10-19', marks: { [pupilId]: { AM: '/' } } },
      personal: null,
    });
    // Nothing new: an empty page whose `next` is the cursor sent.
    expect(await page(`after=${whole.next}`)).toEqual({ items: [], next: whole.next });
  });

  it('wakes a long-poll on an append well before its wait ends', async () => {
    const after = await endOfFeed();
    const started = Date.now();
    let answeredAt = Number.POSITIVE_INFINITY;
    const polling = page(`after=${after}&wait=20`).finally(() => {
      answeredAt = Date.now();
    });
    await pause(300);
    const appendedAt = Date.now();
    const pupilId = await plans.registerPupil('100001');
    const woken = await polling;
    expect(answeredAt).toBeGreaterThanOrEqual(appendedAt);
    expect(answeredAt - started).toBeLessThan(10_000);
    expect(woken.items.map((item) => item.streamId)).toContain(`pupil-${pupilId}`);
    expect(woken.next).not.toBe(after);
  });

  it('answers a long-poll with nothing new once its wait is over: no items, `next` the cursor sent', async () => {
    // No one has recorded anything in LA 803.
    const quiet: Principal = { id: 'case-system-803', role: 'la_system', tenant: '803' };
    const first = await page('wait=0', quiet);
    expect(first.items).toEqual([]);
    const started = Date.now();
    const second = await page(`after=${first.next}&wait=1`, quiet);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(second).toEqual({ items: [], next: first.next });
  });

  it('reads only the kinds asked for, in the same order', async () => {
    const after = await endOfFeed();
    const pupilId = await plans.registerPupil('100001');
    const planId = await plans.openPlan('100001');
    expect((await attendance.mark([{ pupilId, date: '2026-10-16', session: 'PM', code: '/' }])).statusCode).toBe(200);
    const all = await readUntil(after, (items) => items.some((item) => item.kind === 'attendance'));
    const pick = (kinds: string[]) => all.items.filter((item) => kinds.includes(item.kind));
    for (const kinds of [['attendance'], ['plan', 'pupil'], ['pupil'], ['plan', 'pupil', 'attendance']]) {
      const expected = pick(kinds);
      const { items } = await readUntil(after, (read) => read.length >= expected.length, {
        query: `limit=1000&kind=${kinds.join(',')}`,
      });
      expect(idsOf(items), kinds.join(',')).toEqual(idsOf(expected));
    }
    expect(ofStream(all.items, `plan-${planId}`)).toHaveLength(1);
    const bad = await feed('kind=plans');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].pointer).toBe('/querystring/kind');
  });

  it('reads only the events recorded at or after `since`, for a first sync', async () => {
    await plans.registerPupil('100001');
    await pause(20);
    const since = new Date().toISOString();
    await pause(20);
    const pupilId = await plans.registerPupil('100001');
    const { items } = await readUntil(undefined, (read) => read.some((item) => item.streamId === `pupil-${pupilId}`), {
      query: `limit=1000&since=${since}`,
    });
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((item) => item.recordedAt >= since)).toBe(true);
    const everything = await readUntil(undefined, (read) => read.some((item) => item.streamId === `pupil-${pupilId}`));
    expect(idsOf(items)).toEqual(idsOf(everything.items.filter((item) => item.recordedAt >= since)));
    expect(everything.items.length).toBeGreaterThan(items.length);
    expect((await feed('since=yesterday')).json().errors[0].pointer).toBe('/querystring/since');
  });

  it("never shows another LA's events", async () => {
    const after801 = await endOfFeed();
    const other802: Principal = { ...otherTenantOfficer, role: 'la_system' };
    const after802 = await endOfFeed(other802);
    const registered = await plans.post(
      '/v1/pupils',
      {
        upn: testUpn(9001),
        givenName: 'Ola',
        familyName: 'Reyes',
        dateOfBirth: '2016-01-20',
        yearGroup: '5',
        senProvision: 'N',
        needs: [],
        schoolUrn: '100001',
        admissionDate: '2026-09-02',
      },
      { as: otherTenantOfficer },
    );
    expect(registered.statusCode).toBe(201);
    const theirPupil = registered.json().pupilId as string;
    const ourPupil = await plans.registerPupil('100001');
    const ours = await readUntil(after801, (items) => items.some((item) => item.streamId === `pupil-${ourPupil}`));
    const theirs = await readUntil(after802, (items) => items.some((item) => item.streamId === `pupil-${theirPupil}`), {
      as: other802,
    });
    expect(ours.items.map((item) => item.streamId)).not.toContain(`pupil-${theirPupil}`);
    expect(theirs.items.map((item) => [item.streamId, item.type])).toEqual([
      [`pupil-${theirPupil}`, 'PupilRegistered'],
      [`pupil-${theirPupil}`, 'PupilAdmitted'],
    ]);
    // The whole log, as each LA reads it.
    const everything801 = await readUntil(undefined, (items) =>
      items.some((item) => item.streamId === `pupil-${ourPupil}`),
    );
    expect(everything801.items.map((item) => item.streamId)).not.toContain(`pupil-${theirPupil}`);
  });

  it("shows school staff only their school's registers, and the plans and pupils their school can see now", async () => {
    const after = await endOfFeed();
    const staff = staffAt('100101');
    const provider = staffAt('100104');
    const staffAfter = await endOfFeed(staff);
    const providerAfter = await endOfFeed(provider);
    const ourPupil = await plans.registerPupil('100101');
    const otherPupil = await plans.registerPupil('100102');
    const ourPlan = await plans.openPlan('100101');
    const otherPlan = await plans.openPlan('100102');
    await plans.command(ourPlan, '/coping-strategies', { strategy: 'Counting', occurredOn: '2026-09-08' });
    await plans.command(otherPlan, '/coping-strategies', { strategy: 'Counting', occurredOn: '2026-09-08' });
    // A provider takes part in the other school's plan, then leaves it; and then in ours, and stays.
    await plans.command(otherPlan, '/settings', {
      urn: '100104',
      kind: 'alternative_provision',
      occurredOn: '2026-09-09',
    });
    await plans.command(otherPlan, '/settings/100104/leave', { occurredOn: '2026-09-10' });
    await plans.command(ourPlan, '/settings', {
      urn: '100104',
      kind: 'alternative_provision',
      occurredOn: '2026-09-09',
    });
    for (const [pupilId, schoolUrn] of [
      [ourPupil, '100101'],
      [otherPupil, '100102'],
    ] as const) {
      const marked = await attendance.mark([{ pupilId, date: '2026-10-19', session: 'AM', code: '/' }], { schoolUrn });
      expect(marked.statusCode, marked.body).toBe(200);
    }
    const isRegister = (urn: string) => (item: FeedEvent) => item.streamId === `attendance-801-${urn}-2026-10-19`;
    const all = await readUntil(after, (items) => items.some(isRegister('100102')));

    const ourStreams = new Set(['100101'].map((urn) => `attendance-801-${urn}-2026-10-19`));
    for (const id of [`pupil-${ourPupil}`, `plan-${ourPlan}`]) ourStreams.add(id);
    // Pupils registered by openPlan are on the school's roll too.
    const ourPlanPupil = all.items.find((item) => item.streamId === `plan-${ourPlan}`)!.data.pupilId as string;
    ourStreams.add(`pupil-${ourPlanPupil}`);
    const expected = all.items.filter((item) => ourStreams.has(item.streamId));
    const seen = await readUntil(staffAfter, (items) => items.some(isRegister('100101')), {
      as: staff,
      query: 'limit=2',
    });
    expect(idsOf(seen.items)).toEqual(idsOf(expected));
    expect(seen.items.every((item) => !item.streamId.includes('100102'))).toBe(true);
    // A page holds no more events than its limit, and moves on past what the staff may not see.
    const first = await page(`after=${staffAfter}&limit=1`, staff);
    expect(new Set(first.items.map((item) => item.eventId)).size).toBeLessThanOrEqual(1);

    // The provider sees our plan whole, from before it joined, and nothing of the plan it left.
    const providerSees = await readUntil(
      providerAfter,
      (items) => items.some((item) => item.type === 'SettingJoined'),
      {
        as: provider,
      },
    );
    expect(new Set(providerSees.items.map((item) => item.streamId))).toEqual(new Set([`plan-${ourPlan}`]));
    expect(providerSees.items.map((item) => item.type)).toEqual([
      'PlanOpened',
      'CopingStrategyTaught',
      'SettingJoined',
    ]);
  });

  it('reads a register stored at version 1 as the current version, each school seeing its own part', async () => {
    const after = await endOfFeed();
    const pupilId = randomUUID();
    const v1: NewEvent = {
      id: randomUUID(),
      type: 'AttendanceRecorded',
      schemaVersion: 1,
      data: {
        pupilId,
        academicYear: 2025,
        recordedAt: '2025-10-13T16:00:00.000Z',
        marks: [
          { schoolUrn: '100201', date: '2025-10-12', session: 'AM', code: '/' },
          { schoolUrn: '100202', date: '2025-10-13', session: 'PM', code: 'B' },
        ],
      },
      metadata: { actor: { id: officer.id, role: officer.role, tenant: '801' }, correlationId: 'c', causationId: null },
    };
    await t.store.append(`attendance-${pupilId}-2025`, [v1], { expectedVersion: 'no_stream' });
    const { items } = await readUntil(after, (read) => read.some((item) => item.eventId === v1.id));
    const parts = items.filter((item) => item.eventId === v1.id);
    expect(parts.map((item) => [item.part, item.type, item.schemaVersion, item.data.schoolUrn])).toEqual([
      [0, 'AttendanceRecorded', 2, '100201'],
      [1, 'AttendanceRecorded', 2, '100202'],
    ]);
    expect(parts[1]!.data).toMatchObject({ date: '2025-10-13', marks: { [pupilId]: { PM: 'B' } } });
    const theirs = await readUntil(undefined, (read) => read.some((item) => item.eventId === v1.id), {
      as: staffAt('100202'),
    });
    expect(theirs.items.filter((item) => item.eventId === v1.id).map((item) => item.part)).toEqual([1]);
  });

  it('lets LA systems, officers, school staff and auditors read the feed, and refuses analysts and admins', async () => {
    for (const as of [laSystem, officer, staffAt('100001'), auditor]) {
      expect((await feed('limit=1', as)).statusCode, as.role).toBe(200);
    }
    for (const as of [analyst, admin]) {
      const refused = await feed('limit=1', as);
      expect(refused.statusCode, as.role).toBe(403);
      expect(refused.json().type).toBe('https://small-steps.org.uk/problems/forbidden');
    }
  });

  it('refuses a cursor it did not give out, naming `after`, and waits of more than 30 seconds', async () => {
    const other = Buffer.from('p:12').toString('base64url');
    const outOfRange = Buffer.from('f:99999999999999999999:1').toString('base64url');
    for (const after of ['not-a-cursor', other, outOfRange, Buffer.from('f:12').toString('base64url')]) {
      const refused = await feed(`after=${after}`);
      expect(refused.statusCode, after).toBe(400);
      expect(refused.json().errors[0]).toMatchObject({ pointer: '/querystring/after', code: 'invalid_cursor' });
    }
    expect((await feed('wait=31')).json().errors[0].pointer).toBe('/querystring/wait');
    expect((await feed('limit=0')).statusCode).toBe(400);
  });
});

describe.skipIf(!databases.some((d) => d.name === 'postgres'))(
  'the change feed alongside 8 concurrent writers on postgres',
  () => {
    let t: ClockedApp;
    beforeAll(async () => {
      t = await startClockedApp(databases.find((d) => d.name === 'postgres')!, NOW);
    });
    afterAll(async () => t?.close());

    it('gives a consumer every event exactly once, in log order', async () => {
      const writers = 8;
      const perWriter = 60;
      const auth = { authorization: `Bearer ${await t.token(laSystem)}` };
      const metadata = {
        actor: { id: laSystem.id, role: laSystem.role, tenant: '801' },
        correlationId: 'c',
        causationId: null,
      };
      const streams = Array.from({ length: writers }, (_, writer) =>
        writer % 2 === 0 ? `plan-${randomUUID()}` : `pupil-${randomUUID()}`,
      );
      let writing = true;
      const seen: FeedEvent[] = [];
      const consumer = (async () => {
        let after: string | undefined;
        const deadline = Date.now() + 90_000;
        while (writing || seen.length < writers * perWriter) {
          if (Date.now() > deadline) throw new Error(`The consumer saw only ${seen.length} events.`);
          const query = [after === undefined ? '' : `after=${after}`, 'limit=25', 'wait=2'].filter(Boolean).join('&');
          const response = await t.app.inject({ method: 'GET', url: `/v1/feed?${query}`, headers: auth });
          expect(response.statusCode).toBe(200);
          const next: FeedPage = response.json();
          seen.push(...next.items);
          after = next.next;
        }
      })();
      await Promise.all(
        streams.map(async (streamId) => {
          const type = streamId.startsWith('plan-') ? 'CopingStrategyTaught' : 'PupilAdmitted';
          for (let version = 0; version < perWriter; version++) {
            await t.store.append(
              streamId,
              [{ id: randomUUID(), type, schemaVersion: 1, data: { n: version }, metadata }],
              { expectedVersion: version },
            );
          }
        }),
      ).finally(() => {
        writing = false;
      });
      await consumer;

      expect(seen).toHaveLength(writers * perWriter);
      expect(new Set(seen.map((item) => item.eventId)).size).toBe(writers * perWriter);
      for (const streamId of streams) {
        expect(seen.filter((item) => item.streamId === streamId).map((item) => item.version)).toEqual(
          Array.from({ length: perWriter }, (_, i) => i + 1),
        );
      }
      // The order of the log itself, read whole once the writers are done.
      const log: string[] = [];
      for (let after = START_OF_LOG; log.length < writers * perWriter; ) {
        const read = await t.store.readAll({ after, filter: { tenant: '801' } });
        log.push(...read.events.map((event) => event.id));
        if (read.events.length === 0) await t.store.waitForEvents(20);
        after = read.position;
      }
      expect(seen.map((item) => item.eventId)).toEqual(log);
    }, 120_000);
  },
);

describe('the change feed when the service closes', () => {
  it('answers a waiting long-poll at once, with what it has, rather than wait out its wait', async () => {
    const t = await startClockedApp(databases[0]!, NOW);
    const quiet: Principal = { id: 'case-system-803', role: 'la_system', tenant: '803' };
    const auth = { authorization: `Bearer ${await t.token(quiet)}` };
    const started = Date.now();
    const polling = t.app.inject({ method: 'GET', url: '/v1/feed?wait=30', headers: auth });
    await pause(300);
    await t.close();
    const answer = await polling;
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(answer.statusCode).toBe(200);
    expect(answer.json().items).toEqual([]);
  });
});
