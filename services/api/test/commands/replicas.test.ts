import { createPostgresEventStore, type EventStore } from '@small-steps/event-store';
import { readModelMigrations } from '@small-steps/projections';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildApp } from '../../src/app.ts';
import { apiMigrations } from '../../src/migrations/api-migrations.ts';
import { describeEachDatabase, officer, startTestApp, type TestApp } from '../fixtures/test-app.ts';

// Two replicas of the service on one database (PostgreSQL: PGlite is one process). Each caches the
// states it last saw; a cached state the other replica has moved past must be brought up to date.
describeEachDatabase('two replicas', (factory) => {
  let a: TestApp;
  let b: FastifyInstance;
  let storeB: EventStore;

  beforeAll(async () => {
    if (factory.name !== 'postgres') return;
    a = await startTestApp(factory);
    storeB = await createPostgresEventStore({
      connectionString: a.connectionString!,
      extraMigrations: [...readModelMigrations, apiMigrations],
    });
    b = await buildApp({ config: a.config, store: storeB });
  });
  afterAll(async () => {
    await b?.close();
    await storeB?.close();
    await a?.close();
  });

  it.runIf(factory.name === 'postgres')('decide on each other’s writes, never on a stale cached state', async () => {
    const headers = { authorization: `Bearer ${await a.token(officer)}` };
    const created = await a.app.inject({
      method: 'POST',
      url: '/v1/pupils',
      headers,
      payload: {
        upn: 'H801200001001',
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
    const url = `/v1/pupils/${created.json().pupilId}/corrections`;
    const correct = (app: FastifyInstance, familyName: string, ifMatch: string) =>
      app.inject({
        method: 'POST',
        url,
        headers: { ...headers, 'if-match': ifMatch },
        payload: { reason: 'Typo', changes: { familyName } },
      });

    expect((await correct(a.app, 'One', '"2"')).statusCode).toBe(200);
    expect((await correct(b, 'Two', '"3"')).statusCode).toBe(200);
    const third = await correct(a.app, 'Three', '"4"');
    expect(third.statusCode).toBe(200);
    expect(third.json()).toMatchObject({ familyName: 'Three', version: 5 });
    expect((await correct(b, 'Stale', '"4"')).statusCode).toBe(412);
  });
});
