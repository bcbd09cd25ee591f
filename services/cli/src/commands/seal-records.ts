import { createApplication, openVault, sealPlainRecords } from '@small-steps/application';
import { loadOrExit, openConfiguredStorage, refuseWithKurrentDb } from './open.ts';

/**
 * Once, after upgrading a store whose events were written before personal data was sealed: seals
 * them, re-chains the streams they are in, and rebuilds the inline read models. Stop the service first.
 */
export async function sealRecordsCommand(): Promise<void> {
  refuseWithKurrentDb(loadOrExit(), '`seal-records`');
  const { config, storage } = await openConfiguredStorage();
  try {
    const vault = openVault(storage.db, config.masterKey);
    const { inlineProjections } = createApplication({ storage, tenantSettings: config.tenantSettings, vault });
    const summary = await sealPlainRecords(storage, vault, inlineProjections, (done) => {
      if (done % 100 === 0) process.stdout.write(`${done} stream(s) sealed\n`);
    });
    process.stdout.write(
      summary.streams === 0
        ? 'Every personal part is already sealed: nothing to do.\n'
        : `${summary.events} event(s) in ${summary.streams} stream(s) sealed and re-chained (old and new head hashes in record_sealing_log); read models rebuilt.\n`,
    );
  } finally {
    await storage.close();
  }
}
