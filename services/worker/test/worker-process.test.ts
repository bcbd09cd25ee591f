import { type ChildProcess, spawn } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { migrations } from '@small-steps/application';
import { planEventCodec } from '@small-steps/contracts';
import { type PlanEvent, planEventTypes } from '@small-steps/domain';
import {
  createPostgresStorage,
  type EventStoreSchema,
  type SqlStorage,
  type StoredEvent,
  TransactionTx,
} from '@small-steps/event-store';
import {
  createPostgresTestDatabase,
  type PostgresTestDatabase,
  postgresServer,
  TEST_METADATA,
} from '@small-steps/event-store/testing';
import { Checkpoints, observationPatternsProjection } from '@small-steps/projections';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const server = await postgresServer();
const skipReason = server.adminUrl === null ? server.reason : null;
const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const PLANS = 40;
const PER_PLAN = 300;
const MASTER_KEY = randomBytes(32).toString('base64');
const AUDIT_SIGNING_KEY = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

const observation = (n: number): PlanEvent => ({
  type: 'ObservationLogged',
  data: {
    what: `Unsettled before lesson ${n}.`,
    tags: n % 3 === 0 ? ['trigger', 'lesson'] : ['somatic'],
    time: n % 4 === 0 ? null : `${String(8 + (n % 8)).padStart(2, '0')}:15`,
    occurredOn: `2026-09-${String(14 + (n % 5)).padStart(2, '0')}`,
  },
});

/** Starts the worker as `./run worker` does, from source; resolves with its health URL once it listens. */
function startWorker(url: string): { child: ChildProcess; health: Promise<string> } {
  const child = spawn(process.execPath, ['--conditions=development', MAIN], {
    env: {
      ...process.env,
      DATABASE_URL: url,
      WORKER_PORT: '0',
      WORKER_BATCH_SIZE: '50',
      LOG_LEVEL: 'warn',
      MASTER_KEY: MASTER_KEY,
      AUDIT_SIGNING_KEY,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const health = new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const found = /(http:\/\/\S+\/health\/ready)/.exec(out);
      if (found) resolve(found[1]!);
    });
    child.on('exit', (code) => reject(new Error(`worker exited with ${code}`)));
  });
  return { child, health };
}

const until = async (condition: () => Promise<boolean>, timeoutMs = 60_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
};

describe.skipIf(skipReason !== null)(
  skipReason === null ? 'the worker process' : `the worker process SKIPPED: ${skipReason}`,
  () => {
    let database: PostgresTestDatabase;
    let storage: SqlStorage;
    beforeAll(async () => {
      database = (await createPostgresTestDatabase())!;
      storage = await createPostgresStorage({ connectionString: database.url, extraMigrations: migrations });
      expect(planEventTypes).toContain('ObservationLogged');
      let id = 0;
      for (let plan = 0; plan < PLANS; plan++) {
        const planId = `7a000000-0000-4000-8000-${String(plan).padStart(12, '0')}`;
        const events = Array.from({ length: PER_PLAN }, (_, n) => ({
          id: `00000000-0000-4000-8000-${String(++id).padStart(12, '0')}`,
          ...planEventCodec.encode(observation(n + plan)),
          metadata: TEST_METADATA,
        }));
        await storage.store.append(`plan-${planId}`, events, { expectedVersion: 'no_stream' });
      }
    });
    afterAll(async () => {
      await storage?.close();
      await database?.drop();
    });

    it('applies every event exactly once though killed in the middle of its work, as a rebuild would', async () => {
      const checkpoints = new Checkpoints(storage.db);
      const first = startWorker(database.url);
      await first.health;
      await until(async () => (await checkpoints.read('observation_patterns')).eventsApplied >= 2_000);
      first.child.kill('SIGKILL');
      await new Promise((resolve) => first.child.once('exit', resolve));
      const applied = (await checkpoints.read('observation_patterns')).eventsApplied;
      expect(applied).toBeLessThan(PLANS * PER_PLAN);

      const second = startWorker(database.url);
      try {
        const ready = await second.health;
        await until(async () => (await checkpoints.read('observation_patterns')).eventsApplied === PLANS * PER_PLAN);
        const health = await (await fetch(ready)).json();
        expect(health).toMatchObject({ status: 'ok', checks: { database: 'ok' } });
      } finally {
        second.child.kill('SIGTERM');
        await new Promise((resolve) => second.child.once('exit', resolve));
      }

      const dump = async (db: typeof storage.db) =>
        (await sql<{ row: unknown }>`select to_jsonb(p) as row from observation_patterns p order by 1`.execute(db))
          .rows;
      const live = await dump(storage.db);
      const log: StoredEvent[] = [];
      for (let after = undefined as string | undefined; ; ) {
        const page = await storage.store.readAll({ maxCount: 5_000, ...(after ? { after: after as never } : {}) });
        if (page.events.length === 0) break;
        log.push(...page.events);
        after = page.position;
      }
      const rollback = new Error('rollback');
      let rebuilt: unknown[] = [];
      await storage.db
        .transaction()
        .execute(async (trx) => {
          await sql`delete from observation_patterns`.execute(trx);
          await observationPatternsProjection().apply(log, new TransactionTx(trx.withTables<EventStoreSchema>()));
          rebuilt = await dump(trx);
          throw rollback;
        })
        .catch((error: unknown) => {
          if (error !== rollback) throw error;
        });
      expect(live.length).toBeGreaterThan(PLANS);
      expect(rebuilt).toEqual(live);
    });
  },
);
