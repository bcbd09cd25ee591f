import type { EventStoreSchema, VerifyResult } from '@small-steps/event-store';
import { loadOrExit, openConfiguredStorage, refuseWithKurrentDb } from './open.ts';

export interface VerifyCommandOptions {
  all?: boolean;
  json?: boolean;
}

/**
 * Recomputes the hash chain of one stream, or of every stream. Exits 1 when a chain is broken or
 * the named stream does not exist (a typo must never read as "verified"), 2 on a usage mistake.
 * With `--json` it prints one JSON document for scripts instead of lines for people.
 */
export async function verifyCommand(streamId: string | undefined, options: VerifyCommandOptions): Promise<void> {
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
    const results: VerifyResult[] = [];
    for (const [index, id] of streams.entries()) {
      const result = await store.verifyStream(id);
      if (streamId && result.ok && result.eventsChecked === 0) {
        if (options.json) process.stdout.write(`${JSON.stringify({ streamId: id, found: false })}\n`);
        else process.stderr.write(`No stream ${id} in this store: nothing was verified.\n`);
        process.exitCode = 1;
        return;
      }
      results.push(result);
      if (!options.json) process.stdout.write(`${describe(result)} [${index + 1}/${streams.length}]\n`);
    }
    const broken = results.filter((r) => !r.ok).length;
    process.stdout.write(
      options.json
        ? `${JSON.stringify({ checked: results.length, broken, streams: results.map(asJson) })}\n`
        : `${streams.length} stream(s) checked, ${broken} broken\n`,
    );
    if (broken > 0) process.exitCode = 1;
  } finally {
    await storage.close();
  }
}

function describe(result: VerifyResult): string {
  if (result.ok) return `ok      ${result.streamId} (${result.eventsChecked} events)`;
  const b = result.firstBroken;
  return `BROKEN  ${result.streamId} at version ${b.version} (position ${b.position}): ${b.problem}`;
}

function asJson(result: VerifyResult) {
  if (result.ok) return result;
  return { ...result, firstBroken: { ...result.firstBroken, position: String(result.firstBroken.position) } };
}
