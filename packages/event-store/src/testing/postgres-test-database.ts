import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { postgresServer } from './postgres-server.ts';

/** A database of its own for one test file, on the test PostgreSQL server. */
export interface PostgresTestDatabase {
  url: string;
  /** Drops the database, closing any connection still open to it. */
  drop(): Promise<void>;
}

/**
 * Creates a fresh, empty database (`ss_test_<hex>`), connecting to the server's URL as given to do
 * so. Null when no PostgreSQL server is available. A database per file lets files run in parallel
 * without seeing each other's events.
 */
export async function createPostgresTestDatabase(): Promise<PostgresTestDatabase | null> {
  const server = await postgresServer();
  if (server.adminUrl === null) return null;
  const { adminUrl } = server;
  const name = `ss_test_${randomBytes(6).toString('hex')}`;
  await runAdmin(adminUrl, `create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => runAdmin(adminUrl, `drop database if exists ${name} with (force)`) };
}

/**
 * The URL of a fresh database, or null when no PostgreSQL server is available. Nothing drops it;
 * prefer {@link createPostgresTestDatabase} where the caller can drop it afterwards.
 */
export async function postgresTestUrl(): Promise<string | null> {
  return (await createPostgresTestDatabase())?.url ?? null;
}

async function runAdmin(adminUrl: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl, application_name: 'small-steps-tests' });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
