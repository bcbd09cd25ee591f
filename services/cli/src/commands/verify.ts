import type { EventStoreSchema } from '@small-steps/event-store';
import { loadOrExit, openConfiguredStorage, refuseWithKurrentDb } from './open.ts';

export async function verifyCommand(streamId: string | undefined, options: { all?: boolean }): Promise<void> {
  if (!streamId && !options.all) {
    process.stderr.write('Name a stream, or pass --all.\n');
    process.exit(2);
  }
  if (options.all) refuseWithKurrentDb(loadOrExit(), '`verify --all`');
  const { storage } = await openConfiguredStorage();
  const { store } = storage;
  try {
    const events = storage.db.withTables<EventStoreSchema>().selectFrom('events');
    const streams = streamId
      ? [streamId]
      : (await events.select('stream_id').distinct().orderBy('stream_id').execute()).map((r) => r.stream_id);
    let broken = 0;
    for (const [index, id] of streams.entries()) {
      const result = await store.verifyStream(id);
      if (result.ok) {
        process.stdout.write(`ok      ${id} (${result.eventsChecked} events) [${index + 1}/${streams.length}]\n`);
      } else {
        broken++;
        const b = result.firstBroken;
        process.stdout.write(`BROKEN  ${id} at version ${b.version} (position ${b.position}): ${b.problem}\n`);
      }
    }
    process.stdout.write(`${streams.length} stream(s) checked, ${broken} broken\n`);
    if (broken > 0) process.exitCode = 1;
  } finally {
    await storage.close();
  }
}
