import {
  createApplication,
  loadAuditSigner,
  openVault,
  type RebuildReport,
  type RowDifference,
  UnknownProjection,
} from '@small-steps/application';
import { AUDIT_TREE, signPendingHeads } from '@small-steps/projections';
import { startProgress } from '../progress.ts';
import { openConfiguredStorage } from './open.ts';

export interface RebuildCommandOptions {
  all?: boolean;
  dryRun?: boolean;
  pageSize: number;
  maxDifferences: number;
}

/**
 * Rebuilds read models from the log into shadow tables, prints how they differ from the live ones,
 * and (unless `--dry-run`) switches them in. Exits 1 when a rebuild fails, or when a dry run finds
 * a difference; 2 when asked for no projection or an unknown one.
 */
export async function rebuildCommand(name: string | undefined, options: RebuildCommandOptions): Promise<void> {
  if ((name === undefined) === (options.all !== true)) {
    process.stderr.write('Name one projection, or pass --all.\n');
    process.exit(2);
  }
  const { config, storage } = await openConfiguredStorage();
  try {
    // The service's signing key (on the embedded default, the key file in the data folder), so the
    // audit tree is rebuilt with the checkpoints it signs, like the other read models.
    const auditSigner = loadAuditSigner(config.auditSigningKey);
    const { rebuilds } = createApplication({
      storage,
      tenantSettings: config.tenantSettings,
      vault: openVault(storage.db, config.masterKey),
      auditSigner,
      auditCheckpoints: config.auditCheckpoints,
    });
    const names = name === undefined ? rebuilds.names() : [name];
    let differing = 0;
    for (const projection of names) {
      const progress = startProgress(projection, 'events');
      let report: RebuildReport;
      try {
        report = await rebuilds.rebuild(projection, {
          dryRun: options.dryRun === true,
          pageSize: options.pageSize,
          maxDifferences: options.maxDifferences,
          onProgress: ({ events, total, phase }) => progress.update(events, total, phase, phase),
        });
      } catch (error) {
        progress.stop();
        if (error instanceof UnknownProjection) {
          process.stderr.write(`${error.message}\n`);
          process.exitCode = 2;
          return;
        }
        process.stderr.write(`${projection}: the rebuild failed, the live tables are as they were: ${String(error)}\n`);
        process.exitCode = 1;
        return;
      }
      progress.stop();
      // No schedule runs here to sign the heads a rebuild leaves pending: the latest events are signed now.
      if (report.switched && projection === AUDIT_TREE) await signPendingHeads(storage.db, auditSigner);
      process.stdout.write(describe(report));
      differing += report.tables.reduce((sum, table) => sum + table.differing, 0);
    }
    if (options.dryRun === true && differing > 0) process.exitCode = 1;
  } finally {
    await storage.close();
  }
}

function describe(report: RebuildReport): string {
  const lines: string[] = [];
  const differing = report.tables.reduce((sum, table) => sum + table.differing, 0);
  lines.push(
    `${report.projection} (${report.kind}): ${report.events} events read, ${report.applied} applied, in ${report.seconds.toFixed(1)} s`,
  );
  if (report.liveBehind) {
    lines.push('  the worker had not reached the end of the log: rows it has yet to apply show as differences');
  }
  for (const table of report.tables) {
    lines.push(
      `  ${table.table}: ${table.liveRows} live rows, ${table.rebuiltRows} rebuilt, ${table.differing} differing`,
    );
    for (const difference of table.differences) lines.push(`    ${line(difference)}`);
    const unlisted = table.differing - table.differences.length;
    if (unlisted > 0) lines.push(`    … and ${unlisted} more`);
  }
  const outcome = report.switched
    ? differing === 0
      ? 'switched in (it was equal to the live one)'
      : `switched in: ${differing} row(s) put right`
    : differing === 0
      ? 'dry run: equal to the live one, nothing changed'
      : `dry run: ${differing} row(s) differ, nothing changed`;
  lines.push(`  ${outcome}`);
  return `${lines.join('\n')}\n`;
}

const KINDS: Record<RowDifference['kind'], string> = {
  missing: 'missing  (rebuilt, not live)',
  extra: 'extra    (live, not rebuilt)',
  differs: 'differs ',
};

function line({ key, kind, columns }: RowDifference): string {
  const named = Object.entries(key)
    .map(([column, value]) => `${column}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(' ');
  return `${KINDS[kind]} ${named}${columns.length > 0 ? `: ${columns.join(', ')}` : ''}`;
}
