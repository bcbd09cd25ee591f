import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrations, openVault } from '@small-steps/application';
import { createPGliteStorage, type SqlStorage } from '@small-steps/event-store';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { mintDevToken } from '../src/auth/dev-tokens.ts';
import type { Principal } from '../src/auth/principal.ts';
import { type Config, loadConfig } from '../src/config.ts';

const officer: Principal = { id: 'officer-1', role: 'la_officer', tenant: '801' };
const admin: Principal = { id: 'admin-1', role: 'admin', tenant: '801' };

// Values of one pupil that appear nowhere else, so a search for each finds only this pupil's data.
const pupil = {
  upn: 'H801200001001',
  givenName: 'Zebedee',
  familyName: 'Quillfeather',
  dateOfBirth: '2016-02-29',
};
const freeText = {
  concern: 'Frightened of the echo in Hallbrook corridor',
  keyAdult: 'Ms Tamsin Oakhanger',
  pupilWords: 'Wobbly jelly legs today',
  worries: 'Worried about the Brindlewick bus',
  correction: 'Orthodontist letter from Fenwick clinic',
};
const plaintexts = [...Object.values(pupil), ...Object.values(freeText)];

/** Every row of every table in the public schema, as text. */
async function everyTable(storage: SqlStorage): Promise<string> {
  const { rows: tables } = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = 'public' and table_type = 'BASE TABLE'`.execute(storage.db);
  const dumps: string[] = [];
  for (const { name } of tables) {
    const { rows } = await sql<{ row: string }>`select to_jsonb(t)::text as row from ${sql.table(name)} t`.execute(
      storage.db,
    );
    dumps.push(...rows.map((r) => r.row));
  }
  return dumps.join('\n');
}

/** Every file under a folder, as bytes decoded as Latin-1 (so any byte sequence is searchable). */
function everyFile(folder: string): string {
  const texts: string[] = [];
  for (const entry of readdirSync(folder, { recursive: true, encoding: 'utf8' })) {
    const path = join(folder, entry);
    if (statSync(path).isFile()) texts.push(readFileSync(path).toString('latin1'));
  }
  return texts.join('\n');
}

describe('erasing a pupil on an embedded store kept in a folder', () => {
  let folder: string;
  let storage: SqlStorage;
  let app: FastifyInstance;
  let config: Config;
  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'small-steps-erasure-'));
    storage = await createPGliteStorage({ dataDir: join(folder, 'pglite'), extraMigrations: migrations });
    config = loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      RUN_PROJECTIONS: 'false',
      MASTER_KEY: randomBytes(32).toString('base64'),
      DATA_DIR: folder,
    });
    app = await buildApp({
      config,
      storage,
      vault: openVault(storage.db, config.masterKey),
      clock: () => new Date('2026-10-20T09:00:00Z'),
    });
    await app.ready();
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await storage?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  const send = async (as: Principal, method: 'GET' | 'POST', url: string, payload?: object) => {
    const token = await mintDevToken(as, {
      secret: config.auth.secret!,
      issuer: config.auth.issuer,
      audience: config.auth.audience,
    });
    return app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload ? { payload } : {}) });
  };

  it('leaves no plaintext of the pupil in any table or file, the events verifying, the pupil reading [erased]', async () => {
    const registered = await send(officer, 'POST', '/v1/pupils', {
      ...pupil,
      yearGroup: '5',
      senProvision: 'K',
      needs: [{ need: 'SEMH', rank: 1 }],
      schoolUrn: '100001',
      admissionDate: '2026-09-01',
    });
    expect(registered.statusCode).toBe(201);
    const { pupilId } = registered.json();
    expect((await send(officer, 'GET', `/v1/pupils?upn=${pupil.upn}`)).json().items).toHaveLength(1);
    const opened = await send(officer, 'POST', '/v1/plans', {
      pupilId,
      keyAdult: { id: 'key-1', name: freeText.keyAdult },
      presentingConcern: freeText.concern,
      occurredOn: '2026-09-07',
    });
    expect(opened.statusCode).toBe(201);
    const { planId } = opened.json();
    const view = await send(officer, 'POST', `/v1/plans/${planId}/views`, {
      role: 'pupil',
      participantId: 'person-pupil',
      worries: freeText.worries,
      whatHelps: 'Quiet.',
      hopes: 'To see friends.',
      occurredOn: '2026-09-08',
    });
    expect(view.statusCode).toBe(200);
    const mark = (code: string, reason?: string) =>
      send(officer, 'POST', '/v1/attendance/marks', {
        schoolUrn: '100001',
        ...(reason ? { reason } : {}),
        marks: [{ pupilId, date: '2026-10-19', session: 'AM', code }],
      });
    expect((await mark('/')).statusCode).toBe(200);
    expect((await mark('M', freeText.correction)).statusCode).toBe(200);

    // Nothing of it is stored in plain text, even before it is erased.
    for (const text of plaintexts) expect(await everyTable(storage)).not.toContain(text);

    expect(
      (await send(officer, 'POST', `/v1/pupils/${pupilId}/erasure`, { retentionClass: 'records', reason: 'x' }))
        .statusCode,
    ).toBe(403);
    for (const retentionClass of ['records', 'register']) {
      const erased = await send(admin, 'POST', `/v1/pupils/${pupilId}/erasure`, {
        retentionClass,
        reason: 'Retention period ended.',
      });
      expect(erased.statusCode, erased.body).toBe(200);
    }
    const again = await send(admin, 'POST', `/v1/pupils/${pupilId}/erasure`, {
      retentionClass: 'records',
      reason: 'Retention period ended.',
    });
    expect(again.statusCode).toBe(200);

    const read = (await send(officer, 'GET', `/v1/pupils/${pupilId}`)).json();
    expect(read).toMatchObject({
      upn: '[erased]',
      givenName: '[erased]',
      familyName: '[erased]',
      dateOfBirth: '[erased]',
    });
    expect((await send(officer, 'GET', `/v1/pupils?upn=${pupil.upn}`)).json().items).toEqual([]);
    const plan = (await send(officer, 'GET', `/v1/plans/${planId}`)).json();
    expect(plan).toMatchObject({ presentingConcern: '[erased]', keyAdult: { name: '[erased]' } });
    const history = (await send(officer, 'GET', `/v1/plans/${planId}/events`)).json();
    expect(JSON.stringify(history)).toContain('[erased]');
    const feed = await send(officer, 'GET', '/v1/feed?limit=1000');
    expect(feed.statusCode).toBe(200);
    const items = feed.json().items as { type: string; personal: unknown }[];
    expect(items.find((item) => item.type === 'PupilRegistered')).toMatchObject({
      personal: { upn: '[erased]', givenName: '[erased]', familyName: '[erased]', dateOfBirth: '[erased]' },
    });
    expect(items.find((item) => item.type === 'AttendanceCorrected')).toMatchObject({
      personal: { reason: '[erased]' },
    });
    for (const text of plaintexts) expect(feed.body).not.toContain(text);
    for (const stream of [`pupil-${pupilId}`, `plan-${planId}`, 'attendance-801-100001-2026-10-19']) {
      expect(await storage.store.verifyStream(stream)).toMatchObject({ ok: true });
    }
    const erasures = (await storage.store.readStream(`pupil-${pupilId}`)).filter((e) => e.type === 'PupilDataErased');
    expect(erasures.map((e) => e.data.retentionClass)).toEqual(['records', 'register']);

    const tables = await everyTable(storage);
    await sql`checkpoint`.execute(storage.db);
    const files = everyFile(join(folder, 'pglite'));
    for (const text of plaintexts) {
      expect(tables, text).not.toContain(text);
      expect(files.includes(text), text).toBe(false);
    }
  }, 120_000);
});
