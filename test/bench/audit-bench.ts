// How long the audit tree takes to take in a tenant's log on PostgreSQL, against reading the same
// log in the same batches in the same run: what hashing, storing the tree and signing add to a read.
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import {
  createPostgresStorage,
  type LogPosition,
  type NewEvent,
  START_OF_LOG,
  treeHeadSigner,
} from '@small-steps/event-store';
import { auditTreeProjection, ProjectionRunner, readModelMigrations } from '@small-steps/projections';
import { sql } from 'kysely';
import { backendsOf, meterCpu } from './cpu-meter.ts';
import type { BenchFigure } from './figures.ts';
import { scratchDatabase } from './scratch-database.ts';

const STREAMS = 1000;
const PER_STREAM = 100;
const EVENTS = STREAMS * PER_STREAM;
const TARGET_SECONDS = 5;
const quiet = { info() {}, warn() {}, error() {} };

export async function benchAudit(connectionString: string, log: (line: string) => void): Promise<BenchFigure[]> {
  const database = await scratchDatabase(connectionString);
  const storage = await createPostgresStorage({
    connectionString: database.url,
    poolSize: 4,
    extraMigrations: readModelMigrations,
  });
  try {
    const { store, db, leases } = storage;
    if (!leases) throw new Error('The PostgreSQL storage has no leases.');
    const metadata = {
      correlationId: randomUUID(),
      causationId: null,
      actor: { id: 'officer-1', role: 'la_officer', tenant: '801' },
    };
    log(`filling a log of ${EVENTS} events of one LA`);
    for (let s = 0; s < STREAMS; s++) {
      const events: NewEvent[] = Array.from({ length: PER_STREAM }, (_, i) => ({
        id: randomUUID(),
        type: 'ObservationLogged',
        schemaVersion: 1,
        data: { n: i, tags: ['somatic'], occurredOn: '2026-09-14' },
        personal: { sealed: true, data: 'x'.repeat(120) },
        metadata,
      }));
      await store.append(`plan-${randomUUID()}`, events, { expectedVersion: 'no_stream' });
    }
    const pem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const signer = treeHeadSigner(pem, 'the bench key');
    const figures: BenchFigure[] = [];
    for (const batchSize of [500, 5000]) {
      let started = performance.now();
      for (let after: LogPosition = START_OF_LOG; ; ) {
        const page = await store.readAll({ after, maxCount: batchSize });
        if (page.events.length === 0) break;
        after = page.position;
      }
      const readSeconds = (performance.now() - started) / 1000;
      await sql`truncate audit_leaves, audit_nodes, audit_checkpoints, audit_pending_heads`.execute(db);
      await sql`delete from projection_checkpoints`.execute(db);
      const runner = new ProjectionRunner({
        store,
        db,
        leases,
        projection: auditTreeProjection(signer),
        log: quiet,
        batchSize,
      });
      started = performance.now();
      const { cpu } = await meterCpu(() => runner.catchUp(), {
        backends: backendsOf(db),
      });
      const seconds = (performance.now() - started) / 1000;
      await leases.release(runner.name);
      const { rows } = await sql<{ size: number }>`
        select max(tree_size)::int as size from audit_checkpoints where tenant = '801'`.execute(db);
      if (rows[0]?.size !== EVENTS) throw new Error(`The latest checkpoint covers ${rows[0]?.size}, not ${EVENTS}.`);
      // CPU as well as time: on this shared machine the time varies with what else runs.
      const postgresCpu = cpu.postgresMs === null ? '' : `, PostgreSQL ${(cpu.postgresMs / 1000).toFixed(1)} s`;
      log(
        `audit tree of ${EVENTS} events in batches of ${batchSize}: ${seconds.toFixed(1)} s (CPU: this process ${(cpu.processMs / 1000).toFixed(1)} s${postgresCpu}); reading them alone ${readSeconds.toFixed(1)} s`,
      );
      figures.push({
        name: `audit tree built over ${EVENTS} events, batches of ${batchSize}`,
        value: seconds,
        unit: 's',
        baseline: 'reading the log alone',
        ratio: seconds / readSeconds,
        target: `< ${TARGET_SECONDS} s`,
        met: seconds < TARGET_SECONDS,
      });
    }
    return figures;
  } finally {
    await storage.close();
    await database.drop();
  }
}
