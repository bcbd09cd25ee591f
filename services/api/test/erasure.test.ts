import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrations, openVault } from '@small-steps/application';
import { groundworkAreas } from '@small-steps/domain';
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
    // The plan as far as practising its first step, so that a fact without personal data can follow the erasure.
    const planCommand = async (path: string, body: object) => {
      const answer = await send(officer, 'POST', `/v1/plans/${planId}${path}`, body);
      expect(answer.statusCode, answer.body).toBe(200);
    };
    const views = { worries: 'Noise.', whatHelps: 'Quiet.', hopes: 'Friends.', occurredOn: '2026-09-08' };
    await planCommand('/views', { role: 'parent_carer', participantId: 'person-parent', ...views });
    for (const area of groundworkAreas)
      await planCommand(`/groundwork/${area}`, { summary: 'Done.', occurredOn: '2026-09-08' });
    const agreedBy = [
      { id: 'person-pupil', role: 'pupil' },
      { id: 'person-parent', role: 'parent_carer', name: 'Ms Reid' },
      { id: 'person-senco', role: 'senco', name: 'Mrs Okafor' },
    ];
    await planCommand('/goals', {
      goalId: 'goal-1',
      pupilWords: 'A full day.',
      participants: agreedBy,
      occurredOn: '2026-09-09',
    });
    const step = { where: 'Gate', withWhom: 'Ms Patel', supports: [], minutes: 30, timesPerWeek: 5, dependsOn: [] };
    await planCommand('/goals/goal-1/steps', {
      steps: [{ stepId: 'step-1', description: 'Walk to the gate', predictedAnxiety: 3, ...step }],
      participants: agreedBy,
      occurredOn: '2026-09-09',
    });
    await planCommand('/steps/step-1/start', { occurredOn: '2026-09-10' });
    const attempt = { outcome: 'completed', anxietyBefore: 5, anxietyAfter: 4, minutes: 20, occurredOn: '2026-10-19' };
    await planCommand('/steps/step-1/attempts', attempt);

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
    // An attempt carries no personal data, but it is about the pupil: refused, and the answer shows
    // nothing of the plan this process remembered from before the erasure.
    const after = await send(officer, 'POST', `/v1/plans/${planId}/steps/step-1/attempts`, {
      ...attempt,
      occurredOn: '2026-10-20',
    });
    expect(after.statusCode, after.body).toBe(422);
    expect(after.json()).toMatchObject({ rule: 'records-erased' });
    for (const text of plaintexts) expect(after.body).not.toContain(text);
    // Nor a register mark, which carries nothing personal either.
    const lateMark = await send(officer, 'POST', '/v1/attendance/marks', {
      schoolUrn: '100001',
      marks: [{ pupilId, date: '2026-10-20', session: 'AM', code: '/' }],
    });
    expect(lateMark.statusCode, lateMark.body).toBe(422);
    expect(lateMark.json()).toMatchObject({
      rule: 'records-erased',
      errors: [{ pointer: '/body/marks/0', code: 'records-erased' }],
    });
    const plan = (await send(officer, 'GET', `/v1/plans/${planId}`)).json();
    expect(plan.goals[0].ladder[0].attemptCount).toBe(1);
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
