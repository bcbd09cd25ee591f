import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DEVELOPMENT_SECRET } from '@small-steps/api';
import type { Principal } from '@small-steps/domain';
import { testUpn } from '@small-steps/domain/testing';
import { jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const main = join(import.meta.dirname, '../src/main.ts');

/** Runs the CLI as a user would, with only the environment given (no DATABASE_URL from the test run). */
async function cli(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--conditions=development', main, ...args], {
      env: { PATH: process.env.PATH ?? '', ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('small-steps CLI', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'small-steps-cli-'));
  });
  afterAll(async () => rm(dataDir, { recursive: true, force: true }));

  it('mints a development token the service accepts', async () => {
    const { code, stdout } = await cli([
      'token',
      '--role',
      'school_staff',
      '--la',
      '802',
      '--school-urn',
      '100001',
      '--sub',
      'ms-patel',
    ]);
    expect(code).toBe(0);
    const { payload } = await jwtVerify(stdout.trim(), new TextEncoder().encode(DEVELOPMENT_SECRET), {
      issuer: 'small-steps-dev',
      audience: 'small-steps-api',
    });
    expect(payload).toMatchObject({ sub: 'ms-patel', role: 'school_staff', la: '802', school_urn: '100001' });
  });

  it('refuses a school staff token without a school', async () => {
    const { code, stderr } = await cli(['token', '--role', 'school_staff']);
    expect(code).toBe(2);
    expect(stderr).toContain('--school-urn is required');
  });

  it('refuses to mint tokens in production', async () => {
    const { code, stderr } = await cli(['token', '--role', 'la_officer'], {
      NODE_ENV: 'production',
      AUTH_JWKS_URL: 'https://idp.example/jwks',
      DATABASE_URL: 'postgres://u@db/x',
      MASTER_KEY_FILE: '/run/secrets/small-steps-master-key',
      AUDIT_SIGNING_KEY_FILE: '/run/secrets/small-steps-audit-signing-key',
    });
    expect(code).toBe(2);
    expect(stderr).toContain('refused in production');
  });

  it('names each bad setting and exits', async () => {
    const { code, stderr } = await cli(['migrate'], { PORT: 'eighty' });
    expect(code).toBe(2);
    expect(stderr).toContain('PORT');
  });

  it('says in one line that the database cannot be reached', async () => {
    const { code, stderr } = await cli(['migrate'], { DATABASE_URL: 'postgres://ops:secret@127.0.0.1:1/smallsteps' });
    expect(code).toBe(1);
    expect(stderr).toBe('PostgreSQL at 127.0.0.1:1/smallsteps cannot be reached (connect ECONNREFUSED 127.0.0.1:1)\n');
  });

  it('migrates an embedded store and verifies its chains', async () => {
    const migrated = await cli(['migrate'], { DATA_DIR: dataDir });
    expect(migrated).toMatchObject({ code: 0, stdout: 'pglite: migrations applied, store ready\n' });
    const verified = await cli(['verify', '--all'], { DATA_DIR: dataDir });
    expect(verified).toMatchObject({ code: 0, stdout: '0 stream(s) checked, 0 broken\n' });
  });

  it('prints its version', async () => {
    const { code, stdout } = await cli(['--version']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  it('fails plainly on a stream that does not exist, rather than calling it verified', async () => {
    const missing = await cli(['verify', 'plan-00000000-0000-4000-8000-000000000000'], { DATA_DIR: dataDir });
    expect(missing).toMatchObject({
      code: 1,
      stdout: '',
      stderr: 'No stream plan-00000000-0000-4000-8000-000000000000 in this store: nothing was verified.\n',
    });
    const json = await cli(['verify', 'plan-x', '--json'], { DATA_DIR: dataDir });
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toEqual({ streamId: 'plan-x', found: false });
  });

  it('refuses what reads the log from PostgreSQL when the log is in KurrentDB, before opening anything', async () => {
    const kurrent = { DATA_DIR: dataDir, EVENT_STORE: 'kurrentdb', KURRENTDB_URL: 'kurrentdb://127.0.0.1:1?tls=false' };
    for (const [args, what] of [
      [['verify', '--all'], '`verify --all`'],
      [['seal-records'], '`seal-records`'],
    ] as const) {
      const { code, stderr } = await cli([...args], kurrent);
      expect(code).toBe(2);
      expect(stderr).toBe(`${what} reads the log from PostgreSQL, but EVENT_STORE is kurrentdb: not supported yet.\n`);
    }
  });

  it('refuses to open a KurrentDB that does not answer, in one line', async () => {
    const { code, stderr } = await cli(['migrate'], {
      DATA_DIR: dataDir,
      EVENT_STORE: 'kurrentdb',
      KURRENTDB_URL: 'kurrentdb://admin:changeit@127.0.0.1:1?tls=false',
    });
    expect(code).not.toBe(0);
    expect(stderr).toContain('KurrentDB at 127.0.0.1:1 cannot be reached (KURRENTDB_URL)');
    expect(stderr).not.toContain('changeit');
  });
});

describe('rotating the master key', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'small-steps-rotate-'));
  });
  afterAll(async () => rm(dataDir, { recursive: true, force: true }));

  it('re-wraps the keys with the new master key, after which the old one is not needed', async () => {
    const { randomBytes } = await import('node:crypto');
    const [oldKey, newKey] = [randomBytes(32).toString('base64'), randomBytes(32).toString('base64')];
    const { code: migrated } = await cli(['migrate'], { DATA_DIR: dataDir, MASTER_KEY: oldKey });
    expect(migrated).toBe(0);
    const { openStorage, openVault } = await import('@small-steps/application');
    const storage = await openStorage({ kind: 'pglite', dataDir });
    const subject = { id: '11111111-1111-4111-8111-111111111111', class: 'records', tenant: '801' } as const;
    const sealed = await openVault(storage.db, { value: oldKey, dataDir }).seal(subject, { givenName: 'Ada' });
    await storage.close();

    expect(await cli(['rotate-master-key'], { DATA_DIR: dataDir, MASTER_KEY: newKey })).toMatchObject({ code: 2 });
    const rotated = await cli(['rotate-master-key'], {
      DATA_DIR: dataDir,
      MASTER_KEY: newKey,
      MASTER_KEY_PREVIOUS: oldKey,
    });
    expect(rotated).toMatchObject({ code: 0, stdout: expect.stringContaining('1 key(s) re-wrapped') });

    const reopened = await openStorage({ kind: 'pglite', dataDir });
    try {
      expect(await openVault(reopened.db, { value: newKey, dataDir }).open(sealed)).toEqual({ givenName: 'Ada' });
      await expect(openVault(reopened.db, { value: oldKey, dataDir }).open(sealed)).rejects.toThrow(/not configured/);
    } finally {
      await reopened.close();
    }
  });
});

describe('the retention run', () => {
  let dataDir: string;
  const key = Buffer.alloc(32, 7).toString('base64');
  const pupils: Record<'adult' | 'child', string> = { adult: '', child: '' };
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'small-steps-retention-'));
    const { createApplication, openStorage, openVault } = await import('@small-steps/application');
    const { randomUUID } = await import('node:crypto');
    const storage = await openStorage({ kind: 'pglite', dataDir });
    try {
      const vault = openVault(storage.db, { value: key, dataDir });
      const app = createApplication({ storage, tenantSettings: { tenants: {} }, vault });
      const officer = { id: 'officer-1', role: 'la_officer', tenant: '801' } as const;
      for (const [who, dateOfBirth, n] of [
        ['adult', '1990-02-01', 1],
        ['child', '2015-02-01', 2],
      ] as const) {
        pupils[who] = randomUUID();
        const result = await app.pupils.run(
          {
            type: 'RegisterPupil',
            data: {
              pupilId: pupils[who],
              upn: testUpn(n),
              givenName: 'Alex',
              familyName: `Retained${n}`,
              dateOfBirth,
              yearGroup: '6',
              senProvision: 'N',
              needs: [],
              admission: { schoolUrn: '100001', admissionDate: '2026-09-01' },
            },
          },
          { principal: officer, correlationId: randomUUID() },
          201,
        );
        expect(result.outcome).toBe('accepted');
      }
    } finally {
      await storage.close();
    }
  });
  afterAll(async () => rm(dataDir, { recursive: true, force: true }));

  it('lists what is due without names and erases nothing on a dry run, then erases it once', async () => {
    const env = { DATA_DIR: dataDir, MASTER_KEY: key };
    const due = `801\t${pupils.adult}\trecords\t2021-02-01\trecords-kept-to-birth-plus-31\n`;

    const json = await cli(['retention', '--dry-run', '--json'], env);
    expect(json.code).toBe(0);
    expect(json.stdout).not.toMatch(/Alex|Retained/);
    expect(JSON.parse(json.stdout)).toMatchObject({
      dryRun: true,
      examined: 2,
      due: [{ tenant: '801', pupilId: pupils.adult, retentionClass: 'records', endedOn: '2021-02-01' }],
      erased: 0,
      failed: [],
    });

    const dry = await cli(['retention', '--dry-run'], env);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain(due);
    expect(dry.stdout).not.toContain(pupils.child);
    expect(dry.stdout).not.toMatch(/Alex|Retained/);
    expect(dry.stdout).toMatch(
      /2 pupil\(s\) examined, 1 retention period\(s\) ended \(records 1, register 0\); nothing erased/,
    );
    expect(dry.stderr).toMatch(/examining: 2\/2 pupils/);

    const run = await cli(['retention'], env);
    expect(run).toMatchObject({ code: 0, stdout: expect.stringContaining(due) });
    expect(run.stdout).toContain('1 erased, 0 failed');

    const again = await cli(['retention'], env);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/0 retention period\(s\) ended .*; 0 erased, 0 failed/);
    expect((await cli(['verify', '--all'], env)).stdout).toMatch(/\n2 stream\(s\) checked, 0 broken\n$/);
    const verified = await cli(['verify', '--all', '--json'], env);
    expect(verified.code).toBe(0);
    expect(JSON.parse(verified.stdout)).toMatchObject({
      checked: 2,
      broken: 0,
      streams: expect.arrayContaining([expect.objectContaining({ streamId: `pupil-${pupils.child}`, ok: true })]),
    });
  });
});

describe('rebuilding read models', () => {
  let dataDir: string;
  let pupilIds: string[];
  const env = () => ({ DATA_DIR: dataDir });

  /** A short history written through the service itself: pupils registered, a plan opened. */
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'small-steps-rebuild-'));
    const { buildApp, loadConfig, mintDevToken } = await import('@small-steps/api');
    const { openStorage, openVault } = await import('@small-steps/application');
    const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir, RUN_PROJECTIONS: 'false', LOG_LEVEL: 'silent' });
    const storage = await openStorage(config.database);
    const app = await buildApp({ config, storage, vault: openVault(storage.db, config.masterKey) });
    try {
      const token = await mintDevToken(
        { id: 'officer-1', role: 'la_officer', tenant: '801' },
        { secret: config.auth.secret!, issuer: config.auth.issuer, audience: config.auth.audience },
      );
      const post = async (url: string, payload: object) => {
        const response = await app.inject({
          method: 'POST',
          url,
          payload,
          headers: { authorization: `Bearer ${token}` },
        });
        expect(response.statusCode, response.body).toBe(201);
        return response.json();
      };
      pupilIds = [];
      for (const serial of [1, 2]) {
        const pupil = await post('/v1/pupils', {
          upn: testUpn(serial),
          givenName: 'Sam',
          familyName: 'Taylor',
          dateOfBirth: '2018-03-14',
          yearGroup: '3',
          senProvision: 'E',
          needs: [{ need: 'SEMH', rank: 1 }],
          schoolUrn: '100001',
          admissionDate: '2026-09-02',
        });
        pupilIds.push(pupil.pupilId);
      }
      await post('/v1/plans', {
        pupilId: pupilIds[0],
        keyAdult: { id: 'key-adult-1', name: 'Ms Patel' },
        presentingConcern: 'Has not attended since the summer.',
        occurredOn: '2026-09-07',
      });
    } finally {
      await app.close();
      await storage.close();
    }
  }, 60_000);
  afterAll(async () => rm(dataDir, { recursive: true, force: true }));

  it('rebuilds every projection equal to the live one, with progress lines when not on a terminal', async () => {
    const { code, stdout, stderr } = await cli(['rebuild', '--all', '--page-size', '2'], env());
    expect(code, stderr).toBe(0);
    for (const name of [
      'plan_views',
      'pupil_directory',
      'attendance_marks',
      'observation_patterns',
      'analytics',
      'caseload_alerts',
      'audit_tree',
    ]) {
      expect(stdout).toContain(`${name} (`);
    }
    expect(stdout).toContain('  pupil_directory: 2 live rows, 2 rebuilt, 0 differing');
    expect(stdout).toContain('  plan_views: 1 live rows, 1 rebuilt, 0 differing');
    // The inline read models were written with their events; the worker's were never run here, so a
    // rebuild may well put those right.
    const inline = stdout.split(/\n(?=\S)/).filter((report) => report.includes('(inline)'));
    expect(inline).toHaveLength(3);
    for (const report of inline) expect(report).not.toContain('put right');
    expect(stderr).toMatch(/pupil_directory: \d+\/\d+ events \(\d+ events\/s\), replaying/);

    // The audit tree is rebuilt with the data folder's signing key, and its latest events signed.
    const { loadAuditSigner, openStorage } = await import('@small-steps/application');
    const { AuditTrees } = await import('@small-steps/projections');
    const { treeHeadProblem } = await import('@small-steps/event-store');
    const storage = await openStorage({ kind: 'pglite', dataDir });
    try {
      const events = await storage.db
        .withTables<{ events: { tenant: string } }>()
        .selectFrom('events')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('tenant', '=', '801')
        .executeTakeFirstOrThrow();
      expect(stdout).toContain(`  audit_leaves: 0 live rows, ${events.n} rebuilt, ${events.n} differing`);
      const head = await new AuditTrees(storage.db).latest({ id: 'cli', role: 'auditor', tenant: '801' } as Principal);
      expect(head?.treeSize).toBe(Number(events.n));
      const { publicKeyPem } = loadAuditSigner({ dataDir });
      expect(treeHeadProblem(head!, publicKeyPem)).toBeNull();
    } finally {
      await storage.close();
    }
  });

  it('reports a corrupted row on a dry run (exit 1), and a rebuild puts it right', async () => {
    const { openStorage } = await import('@small-steps/application');
    const storage = await openStorage({ kind: 'pglite', dataDir });
    await storage.db
      .withTables<{ pupil_directory: { pupil_id: string; version: number } }>()
      .updateTable('pupil_directory')
      .set({ version: 99 })
      .where('pupil_id', '=', pupilIds[1]!)
      .execute();
    await storage.close();

    const dry = await cli(['rebuild', 'pupil_directory', '--dry-run'], env());
    expect(dry.code).toBe(1);
    expect(dry.stdout).toContain(`differs  pupil_id=${pupilIds[1]}: version`);
    expect(dry.stdout).toContain('dry run: 1 row(s) differ, nothing changed');
    expect((await cli(['rebuild', 'pupil_directory', '--dry-run'], env())).code).toBe(1);

    const rebuilt = await cli(['rebuild', 'pupil_directory'], env());
    expect(rebuilt).toMatchObject({ code: 0, stdout: expect.stringContaining('switched in: 1 row(s) put right') });
    const after = await cli(['rebuild', 'pupil_directory', '--dry-run'], env());
    expect(after).toMatchObject({ code: 0, stdout: expect.stringContaining('dry run: equal to the live one') });
  });

  it('names the projections when asked for an unknown one, or for none', async () => {
    const unknown = await cli(['rebuild', 'plans'], env());
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain(
      'There is no projection "plans". Projections: plan_views, pupil_directory, attendance_marks, observation_patterns, analytics, caseload_alerts, audit_tree.',
    );
    expect(await cli(['rebuild'], env())).toMatchObject({ code: 2, stderr: 'Name one projection, or pass --all.\n' });
    expect(await cli(['rebuild', 'plan_views', '--page-size', '0'], env())).toMatchObject({ code: 1 });
  });
});
