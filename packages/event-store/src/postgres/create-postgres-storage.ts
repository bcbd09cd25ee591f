import { CompiledQuery, Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { DatabaseUnreachable, describeServer, isDatabaseUnavailable } from '../errors/database-unavailable.ts';
import { advisoryLeases } from '../leases/advisory-leases.ts';
import { migrateToLatest } from '../migrations/migrate.ts';
import type { EventStoreSchema } from '../schema.ts';
import { type SqlEventStoreOptions, type SqlStorage, sqlStorage } from '../sql/create-sql-event-store.ts';
import { bigintTypes } from './bigint-types.ts';
import { listenOn } from './listen.ts';
import { preparingClient, StatementNames } from './prepared-statements.ts';

/** Options for {@link createPostgresStorage}. */
export interface PostgresEventStoreOptions extends SqlEventStoreOptions {
  connectionString: string;
  /** Most connections the pool opens (default 10). */
  poolSize?: number;
  /** Apply pending migrations before returning (default true). */
  migrate?: boolean;
  /**
   * Prepare frequent statements once per connection (default true). Turn off behind a pooler in
   * transaction mode that does not track prepared statements (PgBouncer before 1.21).
   */
  preparedStatements?: boolean;
}

// An idle open transaction holds back the read horizon of every subscriber (docs/architecture.md).
const IDLE_IN_TRANSACTION_TIMEOUT = '60s';
const CONNECT_TIMEOUT_MS = 5_000;

/** The event store on PostgreSQL, through a `pg` pool, and the database beside it for read models. */
export async function createPostgresStorage(options: PostgresEventStoreOptions): Promise<SqlStorage> {
  const { connectionString, poolSize = 10, migrate = true, preparedStatements = true } = options;
  const pool = new pg.Pool({
    connectionString,
    max: poolSize,
    // A connection once opened stays open: a new backend's first statements load its catalogue
    // caches and plan from cold, which showed as a second of slow answers after each idle spell.
    min: poolSize,
    ...(preparedStatements ? { Client: preparingClient(new StatementNames()) } : {}),
    types: bigintTypes,
    application_name: 'small-steps',
    // Behind a network that drops packets a connect never fails on its own: give up, so a request
    // waiting for a connection is answered 503 instead of hanging.
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
  });
  // A restart or crash of PostgreSQL ends every backend, and pg reports it as an 'error' event on
  // each client: on an idle one through the pool, on one checked out (running a statement, or held
  // between a transaction's statements) on the client itself, where no listener means the process
  // dies. The statement in flight fails on its own; the pool drops the broken client when it comes
  // back, and the next query connects again.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  const db = new Kysely<EventStoreSchema>({
    dialect: new PostgresDialect({
      pool,
      onCreateConnection: async (connection) => {
        await connection.executeQuery(
          CompiledQuery.raw(`set idle_in_transaction_session_timeout = '${IDLE_IN_TRANSACTION_TIMEOUT}'`),
        );
      },
    }),
  });
  try {
    if (migrate) await migrateToLatest(db, options.extraMigrations);
  } catch (error) {
    await db.destroy();
    throw isDatabaseUnavailable(error) ? new DatabaseUnreachable(describeServer(connectionString), error) : error;
  }
  const leases = advisoryLeases(connectionString);
  return sqlStorage(
    { kind: 'postgres', db, listen: listenOn(connectionString), leases, close: () => db.destroy() },
    options,
  );
}
