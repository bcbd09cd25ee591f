import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** A database of its own on the server of `connectionString`, for one benchmark; dropped by `drop()`. */
export async function scratchDatabase(
  connectionString: string,
  prefix = 'ss_bench',
): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await admin(connectionString, `create database ${name}`);
  const url = new URL(connectionString);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(connectionString, `drop database if exists ${name} with (force)`) };
}

async function admin(connectionString: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
