import { writeFile } from 'node:fs/promises';
import { loadAuditSigner } from '@small-steps/application';
import { exportStream } from '../audit/export-stream.ts';
import { openConfiguredStorage } from './open.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `export plan <planId> --out <file>`: the plan's events, proven against a signed checkpoint. */
export async function exportPlanCommand(planId: string, options: { out: string }): Promise<void> {
  if (!UUID.test(planId)) {
    process.stderr.write('The plan id must be a UUID.\n');
    process.exit(2);
  }
  const { config, storage } = await openConfiguredStorage();
  try {
    const signer = loadAuditSigner(config.auditSigningKey);
    const result = await exportStream(storage, signer, `plan-${planId}`);
    if (typeof result === 'string') {
      process.stderr.write(`${result}\n`);
      process.exitCode = 1;
      return;
    }
    await writeFile(options.out, `${JSON.stringify(result, null, 2)}\n`, { mode: 0o600 });
    process.stdout.write(
      `Wrote ${result.events.length} events of plan ${planId}, proven in checkpoint ${result.checkpoint.treeSize} of LA ${result.checkpoint.tenant}, to ${options.out}\n`,
    );
  } finally {
    await storage.close();
  }
}
