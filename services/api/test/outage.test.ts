import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { openStorage, openVault } from '@small-steps/application';
import { testUpn } from '@small-steps/domain/testing';
import type { SqlStorage } from '@small-steps/event-store';
import { type TestStore, testDatabases } from '@small-steps/event-store/testing';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { mintDevToken } from '../src/auth/dev-tokens.ts';
import { loadConfig } from '../src/config.ts';
import { type TcpProxy, tcpProxy } from './fixtures/tcp-proxy.ts';
import { officer } from './fixtures/test-app.ts';

const postgres = (await testDatabases()).find((d) => d.name === 'postgres')!;

// An outage is a network matter, so it is PostgreSQL's: PGlite runs inside the process.
describe.skipIf(postgres.skipReason !== null)(
  `a database outage${postgres.skipReason ? ` (skipped: ${postgres.skipReason})` : ''}`,
  () => {
    let test: TestStore;
    let proxy: TcpProxy;
    let storage: SqlStorage;
    let app: FastifyInstance;
    let auth: { authorization: string };
    const logs: string[] = [];
    const lines = () =>
      logs.flatMap((c) => c.split('\n').filter(Boolean)).map((l) => JSON.parse(l) as { level: number; msg: string });

    beforeAll(async () => {
      test = await postgres.create();
      const target = new URL(test.connectionString!);
      proxy = await tcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
      const viaProxy = new URL(test.connectionString!);
      viaProxy.host = `127.0.0.1:${proxy.port}`;
      const config = loadConfig({
        NODE_ENV: 'test',
        LOG_LEVEL: 'info',
        RUN_PROJECTIONS: 'false',
        DATABASE_URL: viaProxy.toString(),
        MASTER_KEY: randomBytes(32).toString('base64'),
      });
      storage = await openStorage(config.database);
      const logStream = new Writable({
        write(chunk, _encoding, done) {
          logs.push(String(chunk));
          done();
        },
      });
      app = await buildApp({ config, storage, logStream, vault: openVault(storage.db, config.masterKey) });
      await app.ready();
      const token = await mintDevToken(officer, {
        secret: config.auth.secret!,
        issuer: config.auth.issuer,
        audience: config.auth.audience,
      });
      auth = { authorization: `Bearer ${token}` };
    });
    afterAll(async () => {
      await app?.close();
      await storage?.close();
      await proxy?.close();
      await test?.dispose();
    });

    let n = 0;
    const register = () =>
      app.inject({
        method: 'POST',
        url: '/v1/pupils',
        headers: auth,
        payload: {
          upn: testUpn(++n),
          givenName: 'Sam',
          familyName: 'Outage',
          dateOfBirth: '2016-05-01',
          yearGroup: '5',
          senProvision: 'N',
          needs: [],
          schoolUrn: '100001',
          admissionDate: '2026-09-01',
        },
      });
    const list = () => app.inject({ method: 'GET', url: '/v1/pupils?schoolUrn=100001', headers: auth });

    it('answers 503 with Retry-After while PostgreSQL is unreachable, logs it once, and serves again after', async () => {
      expect((await register()).statusCode).toBe(201);
      expect((await list()).statusCode).toBe(200);

      await proxy.cut();
      const during = [];
      for (let i = 0; i < 5; i++) during.push(await register(), await list());
      for (const answer of during) {
        expect(answer.statusCode).toBe(503);
        expect(answer.headers['retry-after']).toBe('5');
        expect(answer.headers['content-type']).toContain('application/problem+json');
        expect(answer.json()).toMatchObject({ type: expect.stringMatching(/\/unavailable$/), status: 503 });
      }
      expect((await app.inject({ method: 'GET', url: '/health/ready' })).statusCode).toBe(503);
      const errors = lines().filter((l) => l.level >= 50);
      expect(errors.map((l) => l.msg)).toEqual([
        'database unavailable: answering 503 with Retry-After until it is back',
      ]);

      await proxy.mend();
      let status = 0;
      for (let tries = 0; tries < 50 && status !== 201; tries++) {
        status = (await register()).statusCode;
        if (status !== 201) await new Promise((r) => setTimeout(r, 200));
      }
      expect(status).toBe(201);
      expect((await list()).json().items.length).toBeGreaterThanOrEqual(2);
      expect(lines().some((l) => l.msg === 'database available again')).toBe(true);
    });
  },
);
