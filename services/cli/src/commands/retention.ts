import { createApplication, openVault, type RetentionDue } from '@small-steps/application';
import { startProgress } from '../progress.ts';
import { openConfiguredStorage } from './open.ts';

/**
 * Lists the pupils whose retention periods have ended (tab-separated, no names: tenant, pupil id,
 * class, the day the period ended, the rule) and, unless `--dry-run`, erases that data as an
 * administrator would. Erased data is not found again, so a run that stops is finished by re-running it.
 * With `--json` it prints one JSON document for scripts (the same fields, still no names).
 */
export async function retentionCommand(options: { dryRun?: boolean; json?: boolean }): Promise<void> {
  const { config, storage } = await openConfiguredStorage();
  const dryRun = options.dryRun === true;
  const listed: RetentionDue[] = [];
  try {
    const vault = openVault(storage.db, config.masterKey);
    const { retention } = createApplication({ storage, tenantSettings: config.tenantSettings, vault });
    const progress = startProgress(dryRun ? 'examining' : 'erasing', 'pupils');
    const summary = await retention.run({
      dryRun,
      onDue: (due: RetentionDue) => {
        if (options.json) listed.push(due);
        else
          process.stdout.write(`${[due.tenant, due.pupilId, due.retentionClass, due.endedOn, due.rule].join('\t')}\n`);
      },
      onProgress: ({ examined, total, due, erased }) =>
        progress.update(examined, total, dryRun ? `${due} due` : `${erased} of ${due} due erased`),
    });
    progress.stop();
    if (summary.failed.length > 0) process.exitCode = 1;
    if (options.json) {
      const failed = summary.failed.map(({ due, problem }) => ({ ...due, problem }));
      const { today, examined, erased } = summary;
      process.stdout.write(`${JSON.stringify({ today, dryRun, examined, due: listed, erased, failed })}\n`);
      return;
    }
    const due = summary.due.records + summary.due.register;
    const byClass = `records ${summary.due.records}, register ${summary.due.register}`;
    process.stdout.write(
      dryRun
        ? `As of ${summary.today}: ${summary.examined} pupil(s) examined, ${due} retention period(s) ended (${byClass}); nothing erased (dry run).\n`
        : `As of ${summary.today}: ${summary.examined} pupil(s) examined, ${due} retention period(s) ended (${byClass}); ${summary.erased} erased, ${summary.failed.length} failed.\n`,
    );
    for (const { due: failed, problem } of summary.failed) {
      process.stderr.write(`not erased: ${failed.tenant} ${failed.pupilId} ${failed.retentionClass}: ${problem}\n`);
    }
  } finally {
    await storage.close();
  }
}
