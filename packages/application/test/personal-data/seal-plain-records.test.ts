import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type { Principal } from '@small-steps/domain';
import { START_OF_LOG, treeHeadSigner } from '@small-steps/event-store';
import { type TestStore, testDatabases } from '@small-steps/event-store/testing';
import { AuditTrees, auditTreeProjection, ProjectionRunner } from '@small-steps/projections';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApplication } from '../../src/application.ts';
import { masterKeyFrom } from '../../src/personal-data/master-key.ts';
import { PersonalDataVault } from '../../src/personal-data/personal-data-vault.ts';
import { sealPlainRecords } from '../../src/personal-data/seal-plain-records.ts';
import { migrations } from '../../src/storage.ts';

const [pglite] = await testDatabases();
const officer: Principal = { id: 'officer-1', role: 'la_officer', tenant: '801' };
const options = (correlationId: string) => ({ principal: officer, correlationId });

describe('sealing a store written before personal data was sealed', () => {
  let test: TestStore;
  beforeAll(async () => {
    test = await pglite!.create({ extraMigrations: migrations });
  });
  afterAll(async () => test?.dispose());

  it('seals every plain personal part, re-chains those streams and rebuilds the read models', async () => {
    const storage = { store: test.store, db: test.db };
    const plain = createApplication({ storage, tenantSettings: { tenants: {} } });
    const pupilId = '5d2c1a4e-8f0b-4d1e-9c7a-2b3e4f5a6b7c';
    const registered = await plain.pupils.run(
      {
        type: 'RegisterPupil',
        data: {
          pupilId,
          upn: 'H801200001001',
          givenName: 'Imogen',
          familyName: 'Thistlewood',
          dateOfBirth: '2015-05-05',
          yearGroup: '6',
          senProvision: 'N',
          needs: [],
          admission: { schoolUrn: '100001', admissionDate: '2026-09-01' },
        },
      },
      options('register'),
      201,
    );
    expect(registered.outcome).toBe('accepted');
    const opened = await plain.plans.open(
      { pupilId, keyAdult: { id: 'k', name: 'Mr Pemberton' }, presentingConcern: 'Avoids the dining hall' },
      options('open'),
    );
    expect(opened.outcome).toBe('accepted');
    const dump = async () =>
      (await sql<{ t: string }>`select string_agg(to_jsonb(e)::text, ' ') as t from events e`.execute(test.db)).rows[0]!
        .t;
    expect(await dump()).toContain('Thistlewood');

    const signer = treeHeadSigner(
      generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      'the test key',
    );
    const buildAuditTree = async () => {
      const quiet = { info() {}, warn() {}, error() {} };
      const runner = new ProjectionRunner({ ...test, projection: auditTreeProjection(signer), log: quiet });
      await runner.catchUp();
      await test.leases.release(runner.name);
    };
    await buildAuditTree();
    const vault = new PersonalDataVault(test.db, masterKeyFrom(randomBytes(32).toString('base64'), 'test'));
    const sealed = createApplication({ storage, tenantSettings: { tenants: {} }, vault });
    const summary = await sealPlainRecords(test, vault, sealed.inlineProjections);
    expect(summary.streams).toBe(2);
    for (const text of ['Thistlewood', 'Imogen', 'H801200001001', 'Mr Pemberton', 'Avoids the dining hall']) {
      expect(await dump()).not.toContain(text);
      const { rows } = await sql<{ t: string }>`
        select string_agg(to_jsonb(p)::text, ' ') as t from pupil_directory p`.execute(test.db);
      expect(rows[0]!.t).not.toContain(text);
    }
    for (const stream of [`pupil-${pupilId}`]) {
      expect(await test.store.verifyStream(stream)).toMatchObject({ ok: true });
    }
    const { rows: log } = await sql<{ stream_id: string; sealed_events: number }>`
      select stream_id, sealed_events from record_sealing_log order by stream_id`.execute(test.db);
    expect(log.map((r) => r.stream_id)).toEqual([expect.stringMatching(/^plan-/), `pupil-${pupilId}`]);
    expect(await sealed.pupilReads.get(officer, pupilId)).toMatchObject({
      familyName: 'Thistlewood',
      upn: 'H801200001001',
    });
    expect(await sealed.pupilReads.findByUpn(officer, 'H801200001001')).toMatchObject({ pupilId });
    // The audit tree held the old hashes: it is forgotten, and built again over the new ones.
    expect((await sql<{ n: number }>`select count(*)::int as n from audit_leaves`.execute(test.db)).rows[0]!.n).toBe(0);
    await buildAuditTree();
    const { events: log801 } = await test.store.readAll({ after: START_OF_LOG, maxCount: 100 });
    const proofs = await new AuditTrees(test.db).inclusion(
      officer,
      log801.map((e) => e.id),
      log801.length,
    );
    expect(proofs.map((p) => p.event.hash)).toEqual(log801.map((e) => e.hash));
    // Run again, it finds nothing left to seal.
    expect(await sealPlainRecords(test, vault, sealed.inlineProjections)).toEqual({ streams: 0, events: 0 });
  });
});
