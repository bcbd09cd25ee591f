import {
  type AuditSigningKeySettings,
  type MasterKeySettings,
  readTenantSettingsFile,
  type StorageSettings,
  type TenantSettingsFile,
} from '@small-steps/application';
import { type CheckpointPolicy, DEFAULT_CHECKPOINT_POLICY } from '@small-steps/projections';
import { z } from 'zod';

/** Used only in development and tests; production refuses to start with it. */
export const DEVELOPMENT_SECRET = 'small-steps-development-secret-do-not-use-in-production';

const port = z.coerce.number().int().min(0).max(65535);

export const kurrentDbUrl = z.string().regex(/^(kurrentdb|esdb)(\+discover)?:\/\//, {
  message: 'must be a kurrentdb:// or kurrentdb+discover:// connection string',
});
export const kurrentDbNamespace = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_]{0,39}$/, { message: 'must be a letter and up to 39 letters, digits or _' })
  .default('smallsteps');

/** Where the log is, as EVENT_STORE, DATABASE_URL and KURRENTDB_URL say it together. */
export function eventStoreProblems(env: {
  EVENT_STORE?: 'postgres' | 'pglite' | 'kurrentdb' | undefined;
  DATABASE_URL?: string | undefined;
  KURRENTDB_URL?: string | undefined;
}): { path: string[]; message: string }[] {
  const problems: { path: string[]; message: string }[] = [];
  if (env.EVENT_STORE === 'kurrentdb' && !env.KURRENTDB_URL)
    problems.push({ path: ['KURRENTDB_URL'], message: 'is required when EVENT_STORE is kurrentdb' });
  if (env.KURRENTDB_URL && env.EVENT_STORE !== 'kurrentdb')
    problems.push({ path: ['EVENT_STORE'], message: 'must be kurrentdb when KURRENTDB_URL is set' });
  if (env.EVENT_STORE === 'postgres' && !env.DATABASE_URL)
    problems.push({ path: ['DATABASE_URL'], message: 'is required when EVENT_STORE is postgres' });
  if (env.EVENT_STORE === 'pglite' && env.DATABASE_URL)
    problems.push({ path: ['EVENT_STORE'], message: 'is pglite, but DATABASE_URL is set: unset one of them' });
  return problems;
}

const Env = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    HOST: z.string().min(1).default('127.0.0.1'),
    PORT: port.default(3000),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, { message: 'must be a postgres:// or postgresql:// URL' })
      .optional(),
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(20),
    DATABASE_PREPARED_STATEMENTS: z.enum(['true', 'false']).default('true'),
    DATA_DIR: z.string().min(1).default('./.data'),
    EVENT_STORE: z.enum(['postgres', 'pglite', 'kurrentdb']).optional(),
    KURRENTDB_URL: kurrentDbUrl.optional(),
    KURRENTDB_NAMESPACE: kurrentDbNamespace,
    AUTH_JWT_SECRET: z.string().min(32, { message: 'must be at least 32 characters' }).optional(),
    AUTH_JWKS_URL: z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }).optional(),
    AUTH_ISSUER: z.string().min(1).default('small-steps-dev'),
    AUTH_AUDIENCE: z.string().min(1).default('small-steps-api'),
    METRICS_TOKEN: z.string().min(32, { message: 'must be at least 32 characters' }).optional(),
    BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).max(10_485_760).default(65_536),
    BULK_BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).max(104_857_600).default(2_097_152),
    RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(6000),
    TENANT_SETTINGS_FILE: z.string().min(1).optional(),
    CHECK_RESPONSES: z.enum(['true', 'false']).optional(),
    RUN_PROJECTIONS: z.enum(['true', 'false']).optional(),
    MASTER_KEY: z.string().min(1).optional(),
    MASTER_KEY_FILE: z.string().min(1).optional(),
    MASTER_KEY_PREVIOUS: z.string().min(1).optional(),
    AUDIT_SIGNING_KEY: z.string().min(1).optional(),
    AUDIT_SIGNING_KEY_FILE: z.string().min(1).optional(),
    AUDIT_CHECKPOINT_EVENTS: z.coerce.number().int().min(1).default(DEFAULT_CHECKPOINT_POLICY.everyEvents),
    AUDIT_CHECKPOINT_SECONDS: z.coerce
      .number()
      .int()
      .min(0)
      .max(86_400)
      .default(DEFAULT_CHECKPOINT_POLICY.everySeconds),
  })
  .superRefine((env, ctx) => {
    for (const problem of eventStoreProblems(env)) ctx.addIssue({ code: 'custom', ...problem });
    if (env.NODE_ENV !== 'production') return;
    if (!env.AUTH_JWKS_URL) {
      ctx.addIssue({
        code: 'custom',
        path: ['AUTH_JWKS_URL'],
        message: 'is required in production (tokens are verified against your identity provider)',
      });
    }
    if (env.AUTH_JWT_SECRET !== undefined) {
      const what = env.AUTH_JWT_SECRET === DEVELOPMENT_SECRET ? 'the development secret' : 'a shared secret';
      ctx.addIssue({
        code: 'custom',
        path: ['AUTH_JWT_SECRET'],
        message: `must not be set in production (it is ${what}); use AUTH_JWKS_URL`,
      });
    }
    if (!env.MASTER_KEY && !env.MASTER_KEY_FILE) {
      ctx.addIssue({
        code: 'custom',
        path: ['MASTER_KEY'],
        message: 'or MASTER_KEY_FILE is required in production: it wraps the keys that personal data is sealed with',
      });
    }
    if (!env.AUDIT_SIGNING_KEY && !env.AUDIT_SIGNING_KEY_FILE) {
      ctx.addIssue({
        code: 'custom',
        path: ['AUDIT_SIGNING_KEY'],
        message:
          'or AUDIT_SIGNING_KEY_FILE is required in production: auditors check the signed checkpoints with its public key',
      });
    }
    if (!env.DATABASE_URL) {
      ctx.addIssue({
        code: 'custom',
        path: ['DATABASE_URL'],
        message: 'is required in production: the embedded PGlite store is for evaluation on one machine',
      });
    }
  });

/** Every environment variable this process reads: docs/operations.md lists each (a test keeps them in step). */
export const SETTING_NAMES: readonly string[] = Object.keys(Env.shape);

export interface Config {
  env: 'development' | 'production' | 'test';
  host: string;
  port: number;
  logLevel: z.infer<typeof Env>['LOG_LEVEL'];
  database: StorageSettings;
  auth: { secret?: string; jwksUrl?: string; issuer: string; audience: string };
  /** The bearer token a Prometheus scraper sends to `/metrics` (METRICS_TOKEN); admins' tokens are accepted too. */
  metricsToken: string | undefined;
  limits: { bodyBytes: number; bulkBodyBytes: number; requestsPerMinute: number };
  /** Per-tenant plan policy, term dates and provision catalogue (TENANT_SETTINGS_FILE); empty: the defaults. */
  tenantSettings: TenantSettingsFile;
  /** Whether each response is checked against its schema before it is sent (CHECK_RESPONSES). */
  checkResponses: boolean;
  /** Whether this process runs the projections kept from the log (RUN_PROJECTIONS). */
  runProjections: boolean;
  /** Where the master key comes from (MASTER_KEY, MASTER_KEY_FILE, or a file in DATA_DIR). */
  masterKey: MasterKeySettings;
  /** Where the key that signs audit checkpoints comes from (AUDIT_SIGNING_KEY, its _FILE, or a file in DATA_DIR). */
  auditSigningKey: AuditSigningKeySettings;
  /** How often each LA's audit head is signed (AUDIT_CHECKPOINT_EVENTS, AUDIT_CHECKPOINT_SECONDS). */
  auditCheckpoints: CheckpointPolicy;
}

export class ConfigError extends Error {
  readonly problems: string[];

  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/** Reads and validates the environment; throws ConfigError with one line per bad value. */
export function loadConfig(source: Record<string, string | undefined> = process.env): Config {
  const parsed = Env.safeParse(source);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || 'environment'} ${i.message}`));
  }
  const e = parsed.data;
  const tenant = readTenantSettingsFile(e.TENANT_SETTINGS_FILE);
  if ('problems' in tenant) throw new ConfigError(tenant.problems);
  return {
    env: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    logLevel: e.LOG_LEVEL,
    database: {
      ...(e.DATABASE_URL
        ? ({
            kind: 'postgres',
            url: e.DATABASE_URL,
            poolSize: e.DATABASE_POOL_SIZE,
            preparedStatements: e.DATABASE_PREPARED_STATEMENTS === 'true',
          } as const)
        : { kind: 'pglite' as const, dataDir: e.DATA_DIR }),
      ...(e.EVENT_STORE === 'kurrentdb' && e.KURRENTDB_URL
        ? { kurrentdb: { url: e.KURRENTDB_URL, namespace: e.KURRENTDB_NAMESPACE } }
        : {}),
    },
    auth: {
      ...(e.AUTH_JWKS_URL ? { jwksUrl: e.AUTH_JWKS_URL } : {}),
      ...(e.AUTH_JWKS_URL && !e.AUTH_JWT_SECRET ? {} : { secret: e.AUTH_JWT_SECRET ?? DEVELOPMENT_SECRET }),
      issuer: e.AUTH_ISSUER,
      audience: e.AUTH_AUDIENCE,
    },
    metricsToken: e.METRICS_TOKEN,
    limits: {
      bodyBytes: e.BODY_LIMIT_BYTES,
      bulkBodyBytes: e.BULK_BODY_LIMIT_BYTES,
      requestsPerMinute: e.RATE_LIMIT_PER_MINUTE,
    },
    tenantSettings: tenant.settings,
    checkResponses: e.CHECK_RESPONSES === undefined ? e.NODE_ENV !== 'production' : e.CHECK_RESPONSES === 'true',
    runProjections: e.RUN_PROJECTIONS === undefined ? !e.DATABASE_URL : e.RUN_PROJECTIONS === 'true',
    masterKey: { value: e.MASTER_KEY, file: e.MASTER_KEY_FILE, previous: e.MASTER_KEY_PREVIOUS, dataDir: e.DATA_DIR },
    auditSigningKey: { value: e.AUDIT_SIGNING_KEY, file: e.AUDIT_SIGNING_KEY_FILE, dataDir: e.DATA_DIR },
    auditCheckpoints: { everyEvents: e.AUDIT_CHECKPOINT_EVENTS, everySeconds: e.AUDIT_CHECKPOINT_SECONDS },
  };
}

/** Every setting, for the README table and `--help`: name, default, meaning. */
export const SETTINGS = [
  [
    'NODE_ENV',
    'development',
    '`development`, `test` or `production`. Production requires AUTH_JWKS_URL and DATABASE_URL and refuses a shared secret.',
  ],
  ['HOST', '127.0.0.1', 'Interface to listen on (`0.0.0.0` in a container).'],
  ['PORT', '3000', 'Port to listen on.'],
  ['LOG_LEVEL', 'info', 'pino level: fatal, error, warn, info, debug, trace, silent.'],
  [
    'DATABASE_URL',
    '(unset: embedded PGlite)',
    'PostgreSQL connection string. Unset, the service runs on embedded PGlite under DATA_DIR.',
  ],
  [
    'DATABASE_POOL_SIZE',
    '20',
    'PostgreSQL connections in the pool; once opened they stay open. About twice the database server’s cores serves best: more connections only contend for its CPUs.',
  ],
  [
    'DATABASE_PREPARED_STATEMENTS',
    'true',
    '`true` prepares frequent statements once per connection instead of parsing and planning them on every call. Set `false` behind a pooler in transaction mode that does not track prepared statements (PgBouncer before 1.21).',
  ],
  [
    'CHECK_RESPONSES',
    '(true; false in production)',
    '`true` checks every response against its OpenAPI schema before sending it, so development and tests catch a response that drifted from the contract; production sends without the check, which costs CPU on every answer.',
  ],
  [
    'RUN_PROJECTIONS',
    '(true on PGlite; false on PostgreSQL)',
    '`true` runs the projections kept from the log (observation patterns, …) inside the API process. On PostgreSQL run `./run worker` instead (several may run: each projection is applied by one at a time); on the embedded PGlite only this process can open the database, so it runs them.',
  ],
  [
    'MASTER_KEY',
    '(unset: a key file in DATA_DIR)',
    'The master key (32 random bytes, base64: `openssl rand -base64 32`) that wraps the per-pupil keys personal data is sealed with. Required in production (or MASTER_KEY_FILE); keep it out of the database and its backups.',
  ],
  ['MASTER_KEY_FILE', '(unset)', 'A file holding the master key, instead of MASTER_KEY.'],
  [
    'MASTER_KEY_PREVIOUS',
    '(unset)',
    'While rotating: the master key being replaced, still accepted until `./run cli rotate-master-key` has re-wrapped every key.',
  ],
  [
    'EVENT_STORE',
    '(postgres with DATABASE_URL; else pglite)',
    'Where the log is kept: `postgres`, `pglite`, or `kurrentdb` (with KURRENTDB_URL; read models, idempotency records and checkpoints stay in PostgreSQL or PGlite). The API does not yet run its commands on KurrentDB: see docs/architecture.md, "KurrentDB".',
  ],
  [
    'KURRENTDB_URL',
    '(unset)',
    'KurrentDB connection string: `kurrentdb://host:2113?tls=false` for one node, `kurrentdb+discover://a:2113,b:2113` for a cluster. The client reconnects and sends writes to the leader. Start refuses when the server does not answer.',
  ],
  ['KURRENTDB_NAMESPACE', 'smallsteps', 'The first part of every stream name in KurrentDB (`smallsteps.plan-…`).'],
  [
    'AUDIT_SIGNING_KEY',
    '(unset: a key file in DATA_DIR)',
    "The Ed25519 private key (PEM: `openssl genpkey -algorithm ed25519`) that signs each tenant's audit checkpoints; its public key is at `GET /v1/audit/public-key` and printed at start. Required in production (or AUDIT_SIGNING_KEY_FILE); the API and every worker need the same key.",
  ],
  ['AUDIT_SIGNING_KEY_FILE', '(unset)', 'A file holding the audit signing key, instead of AUDIT_SIGNING_KEY.'],
  [
    'AUDIT_CHECKPOINT_EVENTS',
    '10000',
    "An LA's audit tree head is signed once this many of its events are not under a signed head (or as AUDIT_CHECKPOINT_SECONDS says, whichever comes first). The API (when it runs the projections) and every worker should agree.",
  ],
  [
    'AUDIT_CHECKPOINT_SECONDS',
    '60',
    "…or once its oldest unsigned event is this many seconds old: every event is under a signed head within about this long (up to a quarter more, plus the worker's lag), however busy or quiet the LA. `0` signs after every batch.",
  ],
  ['DATA_DIR', './.data', 'Folder for the embedded PGlite database (one process at a time: it is locked).'],
  [
    'AUTH_JWT_SECRET',
    '(development secret)',
    'HS256 secret (≥ 32 characters) for development and tests. Refused in production.',
  ],
  ['AUTH_JWKS_URL', '(unset)', 'JWKS URL of your identity provider; required in production.'],
  ['AUTH_ISSUER', 'small-steps-dev', 'Expected `iss` claim.'],
  ['AUTH_AUDIENCE', 'small-steps-api', 'Expected `aud` claim.'],
  [
    'METRICS_TOKEN',
    '(unset: admin tokens only)',
    'A secret (≥ 32 characters) a Prometheus scraper sends as `Authorization: Bearer …` to `/metrics`, so the scraper needs no identity-provider account. Tokens of the admin role are accepted too.',
  ],
  ['BODY_LIMIT_BYTES', '65536', 'Largest JSON body for ordinary requests (413 beyond it).'],
  ['BULK_BODY_LIMIT_BYTES', '2097152', 'Largest body for bulk endpoints such as attendance marks.'],
  ['RATE_LIMIT_PER_MINUTE', '6000', 'Requests per minute per caller (429 beyond it).'],
  [
    'TENANT_SETTINGS_FILE',
    '(unset: defaults)',
    'JSON file of per-LA plan policy values, term dates (per school too) and provision catalogue entries; checked at start.',
  ],
] as const;
