import { randomBytes, randomUUID } from 'node:crypto';
import type { Principal } from '@small-steps/domain';
import { testUpn } from '@small-steps/domain/testing';
import { type TestStore, testDatabases } from '@small-steps/event-store/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Application, createApplication } from '../../src/application.ts';
import { masterKeyFrom } from '../../src/personal-data/master-key.ts';
import { PersonalDataVault } from '../../src/personal-data/personal-data-vault.ts';
import type { RetentionDue } from '../../src/pupils/retention-run.ts';
import { migrations } from '../../src/storage.ts';

const officer: Principal = { id: 'officer-1', role: 'la_officer', tenant: '801' };
const staff: Principal = { id: 'staff-1', role: 'school_staff', tenant: '801', schoolUrn: '100001' };
const options = (principal: Principal) => ({ principal, correlationId: randomUUID() });

describe.each((await testDatabases()).filter((d) => d.skipReason === null))('the retention run on $name', (factory) => {
  let test: TestStore;
  let app: Application;
  let vault: PersonalDataVault;
  let now = new Date('2026-10-20T08:00:00.000Z');
  beforeAll(async () => {
    test = await factory.create({ extraMigrations: migrations });
    vault = new PersonalDataVault(test.db, masterKeyFrom(randomBytes(32).toString('base64'), 'test'));
    app = createApplication({ storage: test, tenantSettings: { tenants: {} }, vault, clock: () => now });
  });
  afterAll(async () => test?.dispose());

  const register = async (dateOfBirth: string, upn: string, familyName: string) => {
    const pupilId = randomUUID();
    const result = await app.pupils.run(
      {
        type: 'RegisterPupil',
        data: {
          pupilId,
          upn,
          givenName: 'Alex',
          familyName,
          dateOfBirth,
          yearGroup: '11',
          senProvision: 'N',
          needs: [],
          admission: { schoolUrn: '100001', admissionDate: '2026-09-01' },
        },
      },
      options(officer),
      201,
    );
    expect(result.outcome).toBe('accepted');
    return pupilId;
  };

  const mark = async (pupilId: string, code: string, reason?: string) => {
    const result = await app.attendance.record(
      {
        schoolUrn: '100001',
        ...(reason ? { reason } : {}),
        marks: [{ pupilId, date: '2026-10-19', session: 'AM', code }],
      },
      options(staff),
    );
    expect(result.outcome).toBe('accepted');
  };

  const runOn = async (day: string, dryRun = false) => {
    now = new Date(`${day}T12:00:00.000Z`);
    const listed: RetentionDue[] = [];
    const summary = await app.retention.run({ dryRun, batchSize: 2, onDue: (due) => listed.push(due) });
    return { summary, listed };
  };

  it('lists what is due, erases it, and finds nothing more when run again', async () => {
    const corrected = await register('2008-05-05', testUpn(1), 'Thistlewood');
    const marked = await register('2015-01-01', testUpn(2), 'Pemberton');
    const unmarked = await register('2016-02-29', testUpn(3), 'Okafor');
    await mark(corrected, '/');
    await mark(corrected, 'I', 'The register was taken before the pupil arrived late with a note.');
    await mark(marked, '/');
    // The last register entry is the later of the day marked and the day recorded (20 October).
    const registerEnds = '2032-10-20';

    expect((await runOn('2026-10-20', true)).summary).toMatchObject({ examined: 3, due: { register: 0, records: 0 } });

    const dry = await runOn('2033-01-10', true);
    expect(dry.summary).toMatchObject({
      today: '2033-01-10',
      examined: 3,
      due: { register: 2, records: 0 },
      erased: 0,
    });
    expect(dry.listed.map((d) => [d.pupilId, d.retentionClass, d.rule, d.endedOn])).toEqual([
      [corrected, 'register', 'register-kept-six-years', registerEnds],
      [marked, 'register', 'register-kept-six-years', registerEnds],
    ]);
    expect(await vault.isErased({ id: corrected, class: 'register' })).toBe(false);

    const run = await runOn('2033-01-10');
    expect(run.summary).toMatchObject({ due: { register: 2, records: 0 }, erased: 2, failed: [] });
    expect(await vault.isErased({ id: corrected, class: 'register' })).toBe(true);
    expect(await vault.isErased({ id: marked, class: 'register' })).toBe(true);
    const [erasure] = (await app.store.readStream(`pupil-${corrected}`)).filter((e) => e.type === 'PupilDataErased');
    expect(erasure).toMatchObject({
      data: { retentionClass: 'register', reason: expect.stringMatching(/^Retention period ended on /) },
      metadata: { actor: { id: 'retention-run', role: 'admin', tenant: '801' } },
    });
    // Register data is gone; the records are kept until their own period ends.
    expect(await app.pupilReads.get(officer, corrected)).toMatchObject({ familyName: 'Thistlewood' });
    expect((await runOn('2033-01-10')).summary).toMatchObject({ due: { register: 0, records: 0 }, erased: 0 });

    const records = await runOn('2047-03-01');
    expect(records.listed.map((d) => [d.pupilId, d.retentionClass, d.endedOn])).toEqual([
      [corrected, 'records', '2039-05-05'],
      [marked, 'records', '2046-01-01'],
      [unmarked, 'records', '2047-03-01'],
    ]);
    expect(records.summary).toMatchObject({ examined: 3, erased: 3, failed: [] });
    for (const pupilId of [corrected, marked, unmarked]) {
      expect(await app.pupilReads.get(officer, pupilId)).toMatchObject({
        familyName: '[erased]',
        dateOfBirth: '[erased]',
        upn: '[erased]',
      });
      expect(await test.store.verifyStream(`pupil-${pupilId}`)).toMatchObject({ ok: true });
    }
    expect((await runOn('2060-01-01')).summary).toMatchObject({ due: { register: 0, records: 0 }, erased: 0 });
  });
});
