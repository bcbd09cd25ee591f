import { openVault } from '@small-steps/application';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, officer, otherTenantOfficer, staffAt } from '../fixtures/test-app.ts';
import { attendanceOf, type ClockedApp, type Mark, register, startClockedApp, weekdays } from './attendance-given.ts';

// Friday 16 October 2026, 4 pm in England: "today" for every upload below.
const NOW = '2026-10-16T15:00:00.000Z';

describeEachDatabase('attendance marks', (factory) => {
  let t: ClockedApp;
  let a: ReturnType<typeof attendanceOf>;

  beforeAll(async () => {
    t = await startClockedApp(factory, NOW, { BULK_BODY_LIMIT_BYTES: '1048576' });
    a = attendanceOf(t);
  });
  afterAll(async () => t?.close());

  it("records a day of marks for pupils named by id or UPN, in one event in the school's register for the day", async () => {
    const [first, second] = [await a.registerPupil(), await a.registerPupil()];
    const before = await a.eventCount();
    const response = await a.mark([
      { pupilId: first.pupilId, date: '2026-10-15', session: 'AM', code: '/' },
      { pupilId: first.pupilId, date: '2026-10-15', session: 'PM', code: 'l' },
      { upn: second.upn.toLowerCase(), date: '2026-10-15', session: 'AM', code: ' I ' },
      { upn: second.upn, date: '2026-10-15', session: 'PM', code: 'I' },
    ]);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      schoolUrn: '100001',
      recordedAt: NOW,
      received: 4,
      recorded: 4,
      corrected: 0,
      unchanged: 0,
      corrections: [],
    });
    expect((await a.eventCount()) - before).toBe(1);
    const event = (await t.store.readStream('attendance-801-100001-2026-10-15')).at(-1);
    expect(event).toMatchObject({
      type: 'AttendanceRecorded',
      schemaVersion: 2,
      personal: null,
      data: {
        schoolUrn: '100001',
        date: '2026-10-15',
        recordedAt: NOW,
        marks: {
          [first.pupilId]: { AM: '/', PM: 'L' },
          [second.pupilId]: { AM: 'I', PM: 'I' },
        },
      },
      metadata: { actor: { id: officer.id, role: 'la_officer', tenant: '801' } },
    });
    expect(await t.store.verifyStream('attendance-801-100001-2026-10-15')).toMatchObject({ ok: true });
  });

  it('appends nothing when the same marks are sent again', async () => {
    const { pupilId } = await a.registerPupil();
    const marks = register(pupilId, weekdays('2026-10-12', '2026-10-16'));
    expect((await a.mark(marks)).json()).toMatchObject({ recorded: 10 });
    const before = await a.eventCount();
    const again = await a.mark(marks);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ received: 10, recorded: 0, corrected: 0, unchanged: 10 });
    expect(await a.eventCount()).toBe(before);
  });

  it('records a different code for a marked session as a correction with its reason, per row or per request', async () => {
    const { pupilId } = await a.registerPupil();
    await a.mark([
      { pupilId, date: '2026-10-14', session: 'AM', code: 'N' },
      { pupilId, date: '2026-10-14', session: 'PM', code: 'N' },
    ]);
    const refused = await a.mark([{ pupilId, date: '2026-10-14', session: 'AM', code: 'M' }]);
    expect(refused.statusCode).toBe(422);
    expect(refused.json()).toMatchObject({
      rule: 'correction-needs-reason',
      errors: [{ pointer: '/body/marks/0/reason', code: 'correction-needs-reason' }],
    });

    const corrected = await a.mark(
      [
        { pupilId, date: '2026-10-14', session: 'AM', code: 'M', reason: 'Dentist letter arrived.' },
        { pupilId, date: '2026-10-14', session: 'PM', code: 'I' },
      ],
      { reason: 'Parent rang: unwell after the appointment.' },
    );
    expect(corrected.statusCode).toBe(200);
    expect(corrected.json()).toMatchObject({
      recorded: 0,
      corrected: 2,
      corrections: [
        { index: 0, previousCode: 'N', code: 'M' },
        { index: 1, previousCode: 'N', code: 'I' },
      ],
    });
    const events = (await t.store.readStream('attendance-801-100001-2026-10-14')).filter((e) =>
      JSON.stringify(e.data).includes(pupilId),
    );
    // A correction's reason is free text about the pupil: sealed under their register key.
    const vault = openVault(t.db, t.config.masterKey);
    const opened = await Promise.all(
      events.map(async (e) => [e.type, e.data.code ?? null, await vault.open(e.personal)]),
    );
    expect(opened).toEqual([
      ['AttendanceRecorded', null, null],
      ['AttendanceCorrected', 'M', { reason: 'Dentist letter arrived.' }],
      ['AttendanceCorrected', 'I', { reason: 'Parent rang: unwell after the appointment.' }],
    ]);
    expect(events[1]?.personal).toMatchObject({ sealed: 1, subject: pupilId, class: 'register' });
    expect(events[1]?.metadata).not.toHaveProperty('reason');
    expect(await t.store.verifyStream('attendance-801-100001-2026-10-14')).toMatchObject({ ok: true });
  });

  it('records nothing when one row is bad, and lists every bad row with its field and rule', async () => {
    // On the roll since last year, so that a mark from last July is on the roll and only too old.
    const { pupilId, upn } = await a.registerPupil({ admissionDate: '2025-09-01' });
    await a.mark([{ pupilId, date: '2026-10-12', session: 'AM', code: '/' }]);
    const before = await a.eventCount();
    const good = (date: string): Mark => ({ pupilId, date, session: 'PM', code: '\\' });
    const response = await a.mark([
      good('2026-10-05'),
      { pupilId, date: '2026-10-06', session: 'AM', code: 'J' },
      good('2026-10-06'),
      { upn, date: '2026-10-07', session: 'AM', code: 'H' },
      { pupilId, date: '2026-10-19', session: 'AM', code: '/' },
      { pupilId, date: '2026-07-20', session: 'AM', code: '/' },
      { pupilId, date: '2026-10-12', session: 'AM', code: 'O' },
      { pupilId, date: '2026-10-08', session: 'AM', code: 'Q9' },
      { pupilId: '00000000-0000-4000-8000-000000000000', date: '2026-10-08', session: 'AM', code: '/' },
      { upn: 'H801999999999', date: '2026-10-08', session: 'AM', code: '/' },
    ]);
    expect(response.statusCode).toBe(422);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    const problem = response.json();
    expect(problem).toMatchObject({
      type: 'https://small-steps.org.uk/problems/attendance-marks-refused',
      rule: 'attendance-marks-refused',
      status: 422,
    });
    expect(problem.detail).toMatch(/^8 of 10 marks cannot be recorded/);
    expect(problem.errors.map((e: { pointer: string; code: string }) => [e.pointer, e.code])).toEqual([
      ['/body/marks/1/code', 'attendance-code-current'],
      ['/body/marks/3/code', 'attendance-code-current'],
      ['/body/marks/4/date', 'no-future-marks'],
      ['/body/marks/5/date', 'backdating-within-year'],
      ['/body/marks/6/reason', 'correction-needs-reason'],
      ['/body/marks/7/code', 'attendance-code-known'],
      ['/body/marks/8/pupilId', 'not-found'],
      ['/body/marks/9/upn', 'not-found'],
    ]);
    expect(problem.errors[0].detail).toMatch(/replaced .* by J1/);
    expect(problem.errors[1].detail).toMatch(/use G .* or C/);
    expect(await a.eventCount()).toBe(before);
    const trend = (await a.trend(pupilId)).json();
    expect(trend.totals.possible).toBe(1);
  });

  it('refuses rows of the wrong shape with a pointer to each field', async () => {
    const { pupilId, upn } = await a.registerPupil();
    const response = await a.mark([
      { pupilId, date: '2026-10-05', session: 'AM', code: '/' },
      { pupilId, date: '2026-10-5', session: 'EVE' as 'AM', code: '' },
      { pupilId, upn, date: '2026-10-05', session: 'PM', code: '/' },
      { date: '2026-10-05', session: 'PM', code: '/' },
    ]);
    expect(response.statusCode).toBe(400);
    const pointers = response.json().errors.map((e: { pointer: string }) => e.pointer);
    expect(pointers).toEqual(
      expect.arrayContaining([
        '/body/marks/1/date',
        '/body/marks/1/session',
        '/body/marks/1/code',
        '/body/marks/2/pupilId',
        '/body/marks/3/pupilId',
      ]),
    );
  });

  it('refuses 10,001 marks in one request as too large', async () => {
    const { pupilId } = await a.registerPupil();
    const marks = Array.from(
      { length: 10_001 },
      (_, i): Mark => ({ pupilId, date: '2026-10-05', session: 'AM', code: i % 2 ? 'A' : '/' }),
    );
    const before = await a.eventCount();
    const response = await a.mark(marks);
    expect(response.statusCode).toBe(413);
    expect(response.json()).toMatchObject({ type: 'https://small-steps.org.uk/problems/payload-too-large' });
    expect(response.json().detail).toMatch(/at most 10,000 marks; this one has 10,001/);
    expect(await a.eventCount()).toBe(before);
  });

  it('refuses a body over the bulk limit with 413, and accepts 10,000 marks under it', async () => {
    const pupils = await Promise.all(Array.from({ length: 5 }, () => a.registerPupil()));
    const days = weekdays('2026-09-01', '2026-10-16').slice(0, 33);
    const marks = pupils.flatMap(({ pupilId }) => register(pupilId, days));
    const many = Array.from({ length: 10_000 }, (_, i) => marks[i % marks.length]!);
    const tooBig = await a.mark(many.map((m) => ({ ...m, reason: 'Corrected after the register closed.'.repeat(3) })));
    expect(tooBig.statusCode).toBe(413);
    expect(tooBig.json()).toMatchObject({ type: 'https://small-steps.org.uk/problems/payload-too-large' });

    const accepted = await a.mark(many);
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json()).toMatchObject({
      received: 10_000,
      recorded: marks.length,
      unchanged: 10_000 - marks.length,
    });
  });

  it('lets school staff mark only their own school, and only pupils on its roll', async () => {
    const ours = await a.registerPupil({ schoolUrn: '100001' });
    const theirs = await a.registerPupil({ schoolUrn: '100002' });
    const staff = staffAt('100001');
    const otherSchool = await a.mark([{ pupilId: theirs.pupilId, date: '2026-10-15', session: 'AM', code: '/' }], {
      as: staff,
      schoolUrn: '100002',
    });
    expect(otherSchool.statusCode).toBe(403);

    const before = await a.eventCount();
    const notOurs = await a.mark(
      [
        { pupilId: ours.pupilId, date: '2026-10-15', session: 'AM', code: '/' },
        { pupilId: theirs.pupilId, date: '2026-10-15', session: 'AM', code: '/' },
        { upn: theirs.upn, date: '2026-10-15', session: 'PM', code: '/' },
      ],
      { as: staff },
    );
    expect(notOurs.statusCode).toBe(422);
    expect(notOurs.json()).toMatchObject({
      rule: 'not-found',
      errors: [
        { pointer: '/body/marks/1/pupilId', code: 'not-found' },
        { pointer: '/body/marks/2/upn', code: 'not-found' },
      ],
    });
    expect(await a.eventCount()).toBe(before);

    const offRoll = await a.mark([{ pupilId: theirs.pupilId, date: '2026-10-15', session: 'AM', code: '/' }]);
    expect(offRoll.json()).toMatchObject({
      rule: 'pupil-on-roll',
      errors: [{ pointer: '/body/marks/0/pupilId', code: 'pupil-on-roll' }],
    });
    const own = await a.mark([{ pupilId: ours.pupilId, date: '2026-10-15', session: 'AM', code: '/' }], { as: staff });
    expect(own.statusCode).toBe(200);
  });

  it('accepts marks for a leaver up to the leaving date and refuses them after it', async () => {
    const { pupilId } = await a.registerPupil();
    const left = await t.app.inject({
      method: 'POST',
      url: `/v1/pupils/${pupilId}/leavings`,
      headers: await a.auth(officer),
      payload: { schoolUrn: '100001', leavingDate: '2026-10-09' },
    });
    expect(left.statusCode).toBe(200);
    const response = await a.mark([
      { pupilId, date: '2026-10-09', session: 'AM', code: '/' },
      { pupilId, date: '2026-10-12', session: 'AM', code: '/' },
    ]);
    expect(response.json()).toMatchObject({
      rule: 'pupil-on-roll',
      errors: [{ pointer: '/body/marks/1/pupilId', code: 'pupil-on-roll' }],
    });
    expect((await a.mark([{ pupilId, date: '2026-10-09', session: 'AM', code: '/' }])).statusCode).toBe(200);
  });

  it("treats another LA's pupil as not found", async () => {
    const { pupilId } = await a.registerPupil();
    const response = await a.mark([{ pupilId, date: '2026-10-15', session: 'AM', code: '/' }], {
      as: otherTenantOfficer,
    });
    expect(response.statusCode).toBe(422);
    expect(response.json()).toMatchObject({ rule: 'not-found', errors: [{ pointer: '/body/marks/0/pupilId' }] });
  });

  it('answers a retried request with the first response and appends nothing', async () => {
    const { pupilId } = await a.registerPupil();
    const marks = register(pupilId, ['2026-10-13']);
    const headers = { 'idempotency-key': 'upload-2026-10-13' };
    const first = await a.mark(marks, { headers });
    const before = await a.eventCount();
    const retry = await a.mark(marks, { headers });
    expect(retry.statusCode).toBe(200);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.json()).toEqual(first.json());
    expect(await a.eventCount()).toBe(before);
    const reused = await a.mark(register(pupilId, ['2026-10-14']), { headers });
    expect(reused.statusCode).toBe(422);
    expect(reused.json()).toMatchObject({ type: 'https://small-steps.org.uk/problems/idempotency-key-reused' });
  });

  it('keeps the session date and the time of recording apart, so marks may be backdated within the year', async () => {
    const { pupilId } = await a.registerPupil();
    t.setNow('2026-10-16T09:30:00.000Z');
    try {
      const response = await a.mark([{ pupilId, date: '2026-09-01', session: 'AM', code: 'I' }]);
      expect(response.statusCode).toBe(200);
      const event = (await t.store.readStream('attendance-801-100001-2026-09-01')).at(-1);
      expect(event?.data).toMatchObject({
        date: '2026-09-01',
        recordedAt: '2026-10-16T09:30:00.000Z',
        marks: { [pupilId]: { AM: 'I' } },
      });
    } finally {
      t.setNow(NOW);
    }
  });
});
