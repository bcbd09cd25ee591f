import type { Kysely } from 'kysely';
import type { EventStoreSchema } from '../schema.ts';
import { readStreamHead } from './stream-head.ts';

export async function streamVersion(db: Kysely<EventStoreSchema>, streamId: string): Promise<number> {
  return (await readStreamHead(db, streamId)).version;
}
