import { openConfiguredStore } from './open.ts';

export async function migrateCommand(): Promise<void> {
  const { config, store } = await openConfiguredStore();
  const ready = await store.isReady();
  await store.close();
  process.stdout.write(`${config.database.kind}: migrations ${ready ? 'applied, store ready' : 'NOT all applied'}\n`);
  if (!ready) process.exitCode = 1;
}
