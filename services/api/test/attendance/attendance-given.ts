import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { migrations, openVault } from '@small-steps/application';
import { testUpn as upnFor } from '@small-steps/domain/testing';
import type { EventStoreSchema, Leases } from '@small-steps/event-store';
import type { TestStoreFactory } from '@small-steps/event-store/testing';
import type { LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../src/app.ts';
import { mintDevToken } from '../../src/auth/dev-tokens.ts';
import type { Principal } from '../../src/auth/principal.ts';
import { loadConfig } from '../../src/config.ts';
import { officer, type TestApp } from '../fixtures/test-app.ts';

/** A test app whose clock the test sets: "today" decides which marks are in the future or backdated too far. */
export interface ClockedApp extends TestApp {
  setNow(instant: string): void;
  /** The store's leases, for a projection runner a test starts. */
  leases: Leases;
}

export async function startClockedApp(
  factory: TestStoreFactory,
  now: string,
  env: Record<string, string> = {},
  { clockedStore = false }: { clockedStore?: boolean } = {},
): Promise<ClockedApp> {
  let clockAt = new Date(now);
  // With `clockedStore`, events are recorded at the app's clock too, so read models judged by
  // `recordedAt` (caseload alerts) see the same day as the commands.
  const { store, db, leases, dispose } = await factory.create({
    extraMigrations: migrations,
    ...(clockedStore ? { clock: () => clockAt } : {}),
  });
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    RATE_LIMIT_PER_MINUTE: '100000',
    RUN_PROJECTIONS: 'false',
    MASTER_KEY: randomBytes(32).toString('base64'),
    ...env,
  });
  const logs: string[] = [];
  const logStream = new Writable({
    write(chunk, _encoding, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const vault = openVault(db, config.masterKey);
  const app = await buildApp({ config, storage: { store, db, leases }, logStream, clock: () => clockAt, vault });
  await app.ready();
  return {
    app,
    store,
    db,
    config,
    logs,
    leases,
    setNow(instant) {
      clockAt = new Date(instant);
    },
    token: (principal) =>
      mintDevToken(principal, {
        secret: config.auth.secret!,
        issuer: config.auth.issuer,
        audience: config.auth.audience,
      }),
    close: async () => {
      await app.close();
      await dispose();
    },
  };
}

export interface Mark {
  pupilId?: string;
  upn?: string;
  date: string;
  session: 'AM' | 'PM';
  code: string;
  reason?: string;
}

/** Requests over `app.inject` as a principal. */
export function attendanceOf(t: TestApp) {
  let serial = 0;
  const auth = async (as: Principal) => ({ authorization: `Bearer ${await t.token(as)}` });

  const registerPupil = async (
    fields: { schoolUrn?: string; admissionDate?: string; yearGroup?: string; as?: Principal } = {},
  ): Promise<{ pupilId: string; upn: string }> => {
    serial++;
    const upn = upnFor(serial);
    const response = await t.app.inject({
      method: 'POST',
      url: '/v1/pupils',
      headers: await auth(fields.as ?? officer),
      payload: {
        upn,
        givenName: 'Robin',
        familyName: 'Ashworth',
        dateOfBirth: '2014-05-02',
        yearGroup: fields.yearGroup ?? '7',
        senProvision: 'K',
        needs: [{ need: 'SEMH', rank: 1 }],
        schoolUrn: fields.schoolUrn ?? '100001',
        admissionDate: fields.admissionDate ?? '2026-09-01',
      },
    });
    if (response.statusCode !== 201) throw new Error(`pupil answered ${response.statusCode}: ${response.body}`);
    return { pupilId: response.json().pupilId, upn };
  };

  const mark = async (
    marks: readonly Mark[],
    {
      as = officer,
      schoolUrn = '100001',
      reason,
      headers = {},
    }: {
      as?: Principal;
      schoolUrn?: string;
      reason?: string;
      headers?: Record<string, string>;
    } = {},
  ): Promise<LightMyRequestResponse> =>
    t.app.inject({
      method: 'POST',
      url: '/v1/attendance/marks',
      headers: { ...(await auth(as)), ...headers },
      payload: { schoolUrn, ...(reason === undefined ? {} : { reason }), marks },
    });

  const trend = async (pupilId: string, query = 'year=2026', as: Principal = officer) =>
    t.app.inject({ method: 'GET', url: `/v1/pupils/${pupilId}/attendance?${query}`, headers: await auth(as) });

  const picture = async (pupilId: string, query = 'year=2026', as: Principal = officer) =>
    t.app.inject({ method: 'GET', url: `/v1/pupils/${pupilId}/progress.svg?${query}`, headers: await auth(as) });

  /** Every event of the log: what an upload appended, or that it appended nothing. */
  const eventCount = async (): Promise<number> => {
    const row = await t.db
      .withTables<EventStoreSchema>()
      .selectFrom('events')
      .select((eb) => eb.fn.countAll<bigint>().as('count'))
      .executeTakeFirstOrThrow();
    return Number(row.count);
  };

  return { registerPupil, mark, trend, picture, eventCount, auth };
}

/** Weekdays from `from` to `to`, both included, as ISO dates. */
export function weekdays(from: string, to: string): string[] {
  const days: string[] = [];
  for (
    let day = new Date(`${from}T00:00:00Z`);
    day <= new Date(`${to}T00:00:00Z`);
    day.setUTCDate(day.getUTCDate() + 1)
  ) {
    if (day.getUTCDay() !== 0 && day.getUTCDay() !== 6) days.push(day.toISOString().slice(0, 10));
  }
  return days;
}

/** Both sessions of each day present (`/` in the morning, `\` in the afternoon), but for the overrides. */
export function register(pupilId: string, days: readonly string[], overrides: Record<string, string> = {}): Mark[] {
  return days.flatMap((date) =>
    (['AM', 'PM'] as const).map((session) => ({
      pupilId,
      date,
      session,
      code: overrides[`${date} ${session}`] ?? (session === 'AM' ? '/' : '\\'),
    })),
  );
}

export { upnFor };
