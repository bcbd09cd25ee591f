import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, DEVELOPMENT_SECRET, loadConfig, SETTING_NAMES } from '../src/config.ts';

const problemsOf = (env: Record<string, string>): string[] => {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
};

describe('configuration', () => {
  it('defaults to embedded PGlite and the development secret', () => {
    const config = loadConfig({});
    expect(config.database).toEqual({ kind: 'pglite', dataDir: './.data' });
    expect(config.auth.secret).toBe(DEVELOPMENT_SECRET);
    expect(config.port).toBe(3000);
  });

  it('uses PostgreSQL whenever DATABASE_URL is set', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://u@localhost/db' });
    expect(config.database).toEqual({
      kind: 'postgres',
      url: 'postgres://u@localhost/db',
      poolSize: 20,
      preparedStatements: true,
    });
  });

  it('keeps the log in KurrentDB with EVENT_STORE=kurrentdb, and the rest where it was', () => {
    const kurrent = { EVENT_STORE: 'kurrentdb', KURRENTDB_URL: 'kurrentdb://admin:changeit@kdb:2113?tls=false' };
    expect(loadConfig(kurrent).database).toEqual({
      kind: 'pglite',
      dataDir: './.data',
      kurrentdb: { url: 'kurrentdb://admin:changeit@kdb:2113?tls=false', namespace: 'smallsteps' },
    });
    expect(
      loadConfig({ ...kurrent, DATABASE_URL: 'postgres://u@localhost/db', KURRENTDB_NAMESPACE: 'la801' }).database,
    ).toMatchObject({ kind: 'postgres', kurrentdb: { namespace: 'la801' } });
  });

  it('signs audit checkpoints every 10,000 events or 60 seconds unless told otherwise', () => {
    expect(loadConfig({}).auditCheckpoints).toEqual({ everyEvents: 10_000, everySeconds: 60 });
    expect(loadConfig({ AUDIT_CHECKPOINT_EVENTS: '500', AUDIT_CHECKPOINT_SECONDS: '0' }).auditCheckpoints).toEqual({
      everyEvents: 500,
      everySeconds: 0,
    });
    expect(problemsOf({ AUDIT_CHECKPOINT_EVENTS: '0', AUDIT_CHECKPOINT_SECONDS: 'soon' })).toHaveLength(2);
  });

  it('refuses an event store setting that does not add up, a line each', () => {
    expect(problemsOf({ EVENT_STORE: 'kurrentdb' })).toEqual([
      'KURRENTDB_URL is required when EVENT_STORE is kurrentdb',
    ]);
    expect(problemsOf({ KURRENTDB_URL: 'kurrentdb://kdb:2113' })).toEqual([
      'EVENT_STORE must be kurrentdb when KURRENTDB_URL is set',
    ]);
    expect(problemsOf({ EVENT_STORE: 'postgres' })).toEqual(['DATABASE_URL is required when EVENT_STORE is postgres']);
    expect(problemsOf({ EVENT_STORE: 'pglite', DATABASE_URL: 'postgres://x' })).toEqual([
      'EVENT_STORE is pglite, but DATABASE_URL is set: unset one of them',
    ]);
    expect(
      problemsOf({ EVENT_STORE: 'kurrentdb', KURRENTDB_URL: 'http://kdb:2113', KURRENTDB_NAMESPACE: 'a.b' }),
    ).toEqual([
      'KURRENTDB_URL must be a kurrentdb:// or kurrentdb+discover:// connection string',
      'KURRENTDB_NAMESPACE must be a letter and up to 39 letters, digits or _',
    ]);
  });

  it('prepares statements unless told not to, for poolers in transaction mode', () => {
    const url = 'postgres://u@localhost/db';
    const database = (env: Record<string, string>) => loadConfig({ DATABASE_URL: url, ...env }).database;
    expect(database({ DATABASE_PREPARED_STATEMENTS: 'false' })).toMatchObject({ preparedStatements: false });
    expect(problemsOf({ DATABASE_PREPARED_STATEMENTS: 'no' })).toEqual([
      'DATABASE_PREPARED_STATEMENTS Invalid option: expected one of "true"|"false"',
    ]);
  });

  it('checks responses against their schemas except in production, unless told otherwise', () => {
    const production = {
      NODE_ENV: 'production',
      AUTH_JWKS_URL: 'https://id.example/jwks',
      DATABASE_URL: 'postgres://x',
      MASTER_KEY_FILE: '/run/secrets/small-steps-master-key',
      AUDIT_SIGNING_KEY_FILE: '/run/secrets/small-steps-audit-signing-key',
    };
    expect(loadConfig({}).checkResponses).toBe(true);
    expect(loadConfig(production).checkResponses).toBe(false);
    expect(loadConfig({ ...production, CHECK_RESPONSES: 'true' }).checkResponses).toBe(true);
    expect(loadConfig({ CHECK_RESPONSES: 'false' }).checkResponses).toBe(false);
    expect(problemsOf({ CHECK_RESPONSES: 'yes' })).toEqual([
      'CHECK_RESPONSES Invalid option: expected one of "true"|"false"',
    ]);
  });

  it('names each bad value on a line of its own', () => {
    expect(problemsOf({ PORT: 'eighty', LOG_LEVEL: 'loud', DATABASE_URL: 'mysql://x' })).toEqual([
      'PORT Invalid input: expected number, received NaN',
      'LOG_LEVEL Invalid option: expected one of "fatal"|"error"|"warn"|"info"|"debug"|"trace"|"silent"',
      'DATABASE_URL must be a postgres:// or postgresql:// URL',
    ]);
  });

  it('refuses to start in production with the development secret', () => {
    const problems = problemsOf({
      NODE_ENV: 'production',
      AUTH_JWT_SECRET: DEVELOPMENT_SECRET,
      AUTH_JWKS_URL: 'https://idp.example/jwks',
      DATABASE_URL: 'postgres://u@db/x',
      MASTER_KEY_FILE: '/run/secrets/small-steps-master-key',
      AUDIT_SIGNING_KEY_FILE: '/run/secrets/small-steps-audit-signing-key',
    });
    expect(problems).toEqual([
      'AUTH_JWT_SECRET must not be set in production (it is the development secret); use AUTH_JWKS_URL',
    ]);
  });

  it('requires a JWKS URL, a master key, an audit signing key and PostgreSQL in production', () => {
    expect(problemsOf({ NODE_ENV: 'production' })).toEqual([
      'AUTH_JWKS_URL is required in production (tokens are verified against your identity provider)',
      'MASTER_KEY or MASTER_KEY_FILE is required in production: it wraps the keys that personal data is sealed with',
      'AUDIT_SIGNING_KEY or AUDIT_SIGNING_KEY_FILE is required in production: auditors check the signed checkpoints with its public key',
      'DATABASE_URL is required in production: the embedded PGlite store is for evaluation on one machine',
    ]);
  });

  it('takes the master key from MASTER_KEY, MASTER_KEY_FILE, or else a file in the data folder', () => {
    expect(loadConfig({ MASTER_KEY: 'a2V5', DATA_DIR: '/srv/data' }).masterKey).toMatchObject({ value: 'a2V5' });
    expect(loadConfig({ DATA_DIR: '/srv/data' }).masterKey).toEqual({
      value: undefined,
      file: undefined,
      previous: undefined,
      dataDir: '/srv/data',
    });
  });

  it('verifies production tokens against the JWKS only', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      AUTH_JWKS_URL: 'https://idp.example/jwks',
      DATABASE_URL: 'postgres://u@db/x',
      MASTER_KEY_FILE: '/run/secrets/small-steps-master-key',
      AUDIT_SIGNING_KEY_FILE: '/run/secrets/small-steps-audit-signing-key',
    });
    expect(config.auth).toEqual({
      jwksUrl: 'https://idp.example/jwks',
      issuer: 'small-steps-dev',
      audience: 'small-steps-api',
    });
  });
});

describe('the operations guide', () => {
  it('lists every setting the service reads, in its settings table', () => {
    const guide = readFileSync(new URL('../../../docs/operations.md', import.meta.url), 'utf8');
    const listed = new Set([...guide.matchAll(/^\| `([A-Z][A-Z0-9_]+)` /gm)].map((m) => m[1]));
    expect(SETTING_NAMES.filter((setting) => !listed.has(setting))).toEqual([]);
  });
});
