import { readFileSync } from 'node:fs';
import { DatabaseUnreachable } from '@small-steps/event-store';
import { Command, InvalidArgumentError, Option } from 'commander';
import { exportPlanCommand } from './commands/export.ts';
import { migrateCommand } from './commands/migrate.ts';
import { rebuildCommand } from './commands/rebuild.ts';
import { retentionCommand } from './commands/retention.ts';
import { rotateMasterKeyCommand } from './commands/rotate-master-key.ts';
import { sealRecordsCommand } from './commands/seal-records.ts';
import { tokenCommand } from './commands/token.ts';
import { verifyCommand } from './commands/verify.ts';
import { verifyExportCommand } from './commands/verify-export.ts';

// The same file from src/ (development) and dist/ (built): both sit one folder below it.
const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

const program = new Command()
  .name('small-steps')
  .version(version, '-V, --version', 'print the version of the CLI and exit')
  .description(
    'Operate a Small Steps store. Reads the same environment as the service (DATABASE_URL, DATA_DIR, AUTH_*).',
  );

program.command('migrate').description('apply every pending migration, then exit').action(migrateCommand);

program
  .command('token')
  .description('mint a development bearer token (HS256 with AUTH_JWT_SECRET; refused in production)')
  .addOption(
    new Option('--role <role>', 'role')
      .choices(['la_system', 'la_officer', 'school_staff', 'analyst', 'auditor', 'admin'])
      .makeOptionMandatory(),
  )
  .option(
    '--la <code>',
    '3-digit LA code (the tenant)',
    (v) => {
      if (!/^\d{3}$/.test(v)) throw new InvalidArgumentError('must be a 3-digit LA code');
      return v;
    },
    '801',
  )
  .option('--school-urn <urn>', '6-digit school URN (school_staff only)', (v) => {
    if (!/^\d{6}$/.test(v)) throw new InvalidArgumentError('must be a 6-digit URN');
    return v;
  })
  .option('--sub <id>', 'subject (who the caller is)', 'dev-user')
  .option('--expires <span>', 'lifetime, e.g. 12h, 30m', '12h')
  .action(tokenCommand);

program
  .command('retention')
  .description(
    'erase personal data whose retention period has ended (register: 6 years after the last entry; SEN and plan records: date of birth + 31 years); safe to re-run',
  )
  .option('--dry-run', 'list what is due (tab-separated: tenant, pupil id, class, ended on, rule) and erase nothing')
  .option('--json', 'print one JSON document (for scripts): what was due, erased and failed')
  .action(retentionCommand);

program
  .command('rotate-master-key')
  .description(
    're-wrap every key wrapped by MASTER_KEY_PREVIOUS with MASTER_KEY (set both; events and read models are untouched)',
  )
  .action(rotateMasterKeyCommand);

program
  .command('seal-records')
  .description(
    'once, after upgrading a store made before personal data was sealed: seal it, re-chain those streams, rebuild the read models (stop the service first)',
  )
  .action(sealRecordsCommand);

const positive = (what: string) => (value: string) => {
  if (!/^\d{1,7}$/.test(value) || Number(value) < 1) throw new InvalidArgumentError(`must be ${what}`);
  return Number(value);
};

program
  .command('rebuild')
  .description(
    'rebuild a read model from the log into shadow tables, print how it differs from the live one, then switch it in',
  )
  .argument('[projection]', 'projection to rebuild (an unknown name lists them all)')
  .option('--all', 'every projection, one after the other')
  .option('--dry-run', 'only compare: the live tables stay as they are (exits 1 when they differ)')
  .option('--page-size <events>', 'events read from the log at a time', positive('a whole number from 1'), 1000)
  .option('--max-differences <rows>', 'differing rows listed per table', positive('a whole number from 1'), 20)
  .action(rebuildCommand);

program
  .command('verify')
  .description('verify the hash chain of one stream, or of every stream with --all')
  .argument('[streamId]', 'stream to verify, e.g. plan-<uuid>')
  .option('--all', 'every stream in the store')
  .option('--json', 'print one JSON document (for scripts) instead of a line per stream')
  .action(verifyCommand);

program
  .command('export')
  .description('export a record for an auditor to check offline')
  .command('plan')
  .description(
    "write a plan's events as stored, with an inclusion proof of each in the LA's latest signed checkpoint, to one file",
  )
  .argument('<planId>', 'the plan')
  .requiredOption('--out <file>', 'the file to write')
  .action(exportPlanCommand);

program
  .command('verify-export')
  .description(
    'check an export with only the public key (no database, no network): signatures, hashes, chain and proofs',
  )
  .argument('<file>', 'the export')
  .requiredOption('--public-key <file>', 'the public key in PEM (GET /v1/audit/public-key)')
  .action(verifyExportCommand);

await program.parseAsync().catch((error: unknown) => {
  // An operator's mistake or an outage, not a bug: one line says where, with no stack.
  if (!(error instanceof DatabaseUnreachable)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
});
