import { openConfiguredStorage } from './open.ts';

export async function migrateCommand(): Promise<void> {
  const { config, storage } = await openConfiguredStorage();
  const ready = await storage.store.isReady();
  await storage.close();
  process.stdout.write(`${config.database.kind}: migrations ${ready ? 'applied, store ready' : 'NOT all applied'}\n`);
  if (!ready) process.exitCode = 1;
}
