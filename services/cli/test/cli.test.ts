import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DEVELOPMENT_SECRET } from '@small-steps/api';
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

  it('migrates an embedded store and verifies its chains', async () => {
    const migrated = await cli(['migrate'], { DATA_DIR: dataDir });
    expect(migrated).toMatchObject({ code: 0, stdout: 'pglite: migrations applied, store ready\n' });
    const verified = await cli(['verify', '--all'], { DATA_DIR: dataDir });
    expect(verified).toMatchObject({ code: 0, stdout: '0 stream(s) checked, 0 broken\n' });
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
