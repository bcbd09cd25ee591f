import {
  type AuditSigningKeySettings,
  type MasterKeySettings,
  readTenantSettingsFile,
  type StorageSettings,
  type TenantSettingsFile,
} from '@small-steps/application';
import { type CheckpointPolicy, DEFAULT_CHECKPOINT_POLICY } from '@small-steps/projections';
import { z } from 'zod';

const Env = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    DATABASE_URL: z
      .string({
        message:
          'is required: the worker runs against PostgreSQL (on the embedded PGlite the API runs the projections)',
      })
      .regex(/^postgres(ql)?:\/\//, { message: 'must be a postgres:// or postgresql:// URL' }),
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(4),
    DATABASE_PREPARED_STATEMENTS: z.enum(['true', 'false']).default('true'),
    HOST: z.string().min(1).default('127.0.0.1'),
    WORKER_PORT: z.coerce.number().int().min(0).max(65535).default(3001),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    TENANT_SETTINGS_FILE: z.string().min(1).optional(),
    WORKER_BATCH_SIZE: z.coerce.number().int().min(1).max(10_000).default(500),
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
    DATA_DIR: z.string().min(1).default('./.data'),
    EVENT_STORE: z
      .enum(['postgres', 'kurrentdb'], {
        message: 'must be postgres or kurrentdb: the worker keeps its read models in PostgreSQL',
      })
      .optional(),
    KURRENTDB_URL: z
      .string()
      .regex(/^(kurrentdb|esdb)(\+discover)?:\/\//, {
        message: 'must be a kurrentdb:// or kurrentdb+discover:// connection string',
      })
      .optional(),
    KURRENTDB_NAMESPACE: z
      .string()
      .regex(/^[A-Za-z][A-Za-z0-9_]{0,39}$/, { message: 'must be a letter and up to 39 letters, digits or _' })
      .default('smallsteps'),
  })
  .superRefine((env, ctx) => {
    if (env.EVENT_STORE === 'kurrentdb' && !env.KURRENTDB_URL)
      ctx.addIssue({ code: 'custom', path: ['KURRENTDB_URL'], message: 'is required when EVENT_STORE is kurrentdb' });
    if (env.KURRENTDB_URL && env.EVENT_STORE !== 'kurrentdb')
      ctx.addIssue({ code: 'custom', path: ['EVENT_STORE'], message: 'must be kurrentdb when KURRENTDB_URL is set' });
  });

/** Every environment variable this process reads: docs/operations.md lists each (a test keeps them in step). */
export const WORKER_SETTING_NAMES: readonly string[] = Object.keys(Env.shape);

export interface WorkerConfig {
  database: StorageSettings;
  host: string;
  port: number;
  logLevel: z.infer<typeof Env>['LOG_LEVEL'];
  tenantSettings: TenantSettingsFile;
  batchSize: number;
  /** The same master key as the API's: projections read personal fields opened. */
  masterKey: MasterKeySettings;
  /** The same signing key as the API's: the worker signs the audit checkpoints. */
  auditSigningKey: AuditSigningKeySettings;
  /** How often each LA's audit head is signed: the same as the API's. */
  auditCheckpoints: CheckpointPolicy;
}

export class WorkerConfigError extends Error {
  constructor(problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'WorkerConfigError';
  }
}

/** Reads and validates the worker's environment; one line per bad value. */
export function loadWorkerConfig(source: Record<string, string | undefined> = process.env): WorkerConfig {
  const parsed = Env.safeParse(source);
  if (!parsed.success) {
    throw new WorkerConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || 'environment'} ${i.message}`));
  }
  const e = parsed.data;
  const tenant = readTenantSettingsFile(e.TENANT_SETTINGS_FILE);
  if ('problems' in tenant) throw new WorkerConfigError(tenant.problems);
  return {
    database: {
      kind: 'postgres',
      url: e.DATABASE_URL,
      poolSize: e.DATABASE_POOL_SIZE,
      preparedStatements: e.DATABASE_PREPARED_STATEMENTS === 'true',
      ...(e.EVENT_STORE === 'kurrentdb' && e.KURRENTDB_URL
        ? { kurrentdb: { url: e.KURRENTDB_URL, namespace: e.KURRENTDB_NAMESPACE } }
        : {}),
    },
    host: e.HOST,
    port: e.WORKER_PORT,
    logLevel: e.LOG_LEVEL,
    tenantSettings: tenant.settings,
    batchSize: e.WORKER_BATCH_SIZE,
    masterKey: { value: e.MASTER_KEY, file: e.MASTER_KEY_FILE, previous: e.MASTER_KEY_PREVIOUS, dataDir: e.DATA_DIR },
    auditSigningKey: { value: e.AUDIT_SIGNING_KEY, file: e.AUDIT_SIGNING_KEY_FILE, dataDir: e.DATA_DIR },
    auditCheckpoints: { everyEvents: e.AUDIT_CHECKPOINT_EVENTS, everySeconds: e.AUDIT_CHECKPOINT_SECONDS },
  };
}
