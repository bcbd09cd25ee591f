import { migrations, openVault } from '@small-steps/application';
import { testUpn } from '@small-steps/domain/testing';
import { createPostgresStorage, type SqlStorage } from '@small-steps/event-store';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildApp } from '../../src/app.ts';
import { describeEachDatabase, officer, staffAt, startTestApp, type TestApp } from '../fixtures/test-app.ts';

// Two replicas of the service on one database (PostgreSQL: PGlite is one process). Each caches the
// states it last saw; a cached state the other replica has moved past must be brought up to date.
describeEachDatabase('two replicas', (factory) => {
  let a: TestApp;
  let b: FastifyInstance;
  let storageB: SqlStorage;

  beforeAll(async () => {
    if (factory.name !== 'postgres') return;
    a = await startTestApp(factory);
    storageB = await createPostgresStorage({ connectionString: a.connectionString!, extraMigrations: migrations });
    b = await buildApp({ config: a.config, storage: storageB, vault: openVault(storageB.db, a.config.masterKey) });
  });
  afterAll(async () => {
    await b?.close();
    await storageB?.close();
    await a?.close();
  });

  const register = async (upn: string) => {
    const headers = { authorization: `Bearer ${await a.token(officer)}` };
    const created = await a.app.inject({
      method: 'POST',
      url: '/v1/pupils',
      headers,
      payload: {
        upn,
        givenName: 'Sam',
        familyName: 'Taylor',
        dateOfBirth: '2017-03-14',
        yearGroup: '3',
        senProvision: 'N',
        needs: [],
        schoolUrn: '100001',
        admissionDate: '2025-09-03',
      },
    });
    expect(created.statusCode).toBe(201);
    return { headers, pupilId: created.json().pupilId as string };
  };
  const correcting =
    (headers: Record<string, string>, pupilId: string) =>
    (app: FastifyInstance, familyName: string, ifMatch?: string) =>
      app.inject({
        method: 'POST',
        url: `/v1/pupils/${pupilId}/corrections`,
        headers: { ...headers, ...(ifMatch ? { 'if-match': ifMatch } : {}) },
        payload: { reason: 'Typo', changes: { familyName } },
      });

  it.runIf(factory.name === 'postgres')('decide on each other’s writes, never on a stale cached state', async () => {
    const { headers, pupilId } = await register('H801200001001');
    const correct = correcting(headers, pupilId);

    expect((await correct(a.app, 'One', '"2"')).statusCode).toBe(200);
    expect((await correct(b, 'Two', '"3"')).statusCode).toBe(200);
    const third = await correct(a.app, 'Three', '"4"');
    expect(third.statusCode).toBe(200);
    expect(third.json()).toMatchObject({ familyName: 'Three', version: 5 });
    expect((await correct(b, 'Stale', '"4"')).statusCode).toBe(412);
  });

  it.runIf(factory.name === 'postgres')(
    'retry a command decided on a stale cached state, on the state as it is',
    async () => {
      const { headers, pupilId } = await register(testUpn(2002));
      const correct = correcting(headers, pupilId);
      expect((await correct(b, 'One')).statusCode).toBe(200);
      expect((await correct(a.app, 'Two')).statusCode).toBe(200);
      // b still holds version 3: its append is refused, it reads the stream and decides again.
      const third = await correct(b, 'Three');
      expect(third.statusCode).toBe(200);
      expect(third.json()).toMatchObject({ familyName: 'Three', version: 5 });
    },
  );

  it.runIf(factory.name === 'postgres')('check a refusal made on a stale cached state against the stream', async () => {
    const { headers, pupilId } = await register(testUpn(2003));
    const correct = correcting(headers, pupilId);
    expect((await correct(b, 'Cached')).statusCode).toBe(200);
    const admitted = await a.app.inject({
      method: 'POST',
      url: `/v1/pupils/${pupilId}/admissions`,
      headers,
      payload: { schoolUrn: '100002', admissionDate: '2025-10-01' },
    });
    expect(admitted.statusCode).toBe(200);
    // b's cached state has the pupil on 100001's roll only: its staff at 100002 would get a 404 from it.
    const staff = { authorization: `Bearer ${await a.token(staffAt('100002'))}` };
    const byStaff = await correcting(staff, pupilId)(b, 'Staff');
    expect(byStaff.statusCode).toBe(200);
    expect(byStaff.json()).toMatchObject({ familyName: 'Staff', version: 5 });
  });
});
