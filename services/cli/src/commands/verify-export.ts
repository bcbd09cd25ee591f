import { readFile } from 'node:fs/promises';
import { verifyExport } from '../audit/verify-export.ts';

/** `verify-export <file> --public-key <pem>`: no database, no network; exit 1 with each problem named. */
export async function verifyExportCommand(file: string, options: { publicKey: string }): Promise<void> {
  let content: unknown;
  let publicKeyPem: string;
  try {
    content = JSON.parse(await readFile(file, 'utf8'));
    publicKeyPem = await readFile(options.publicKey, 'utf8');
  } catch (error) {
    process.stderr.write(
      `Cannot read the export or the key: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(2);
  }
  const verdict = verifyExport(content, publicKeyPem);
  if (verdict.ok) {
    process.stdout.write(`ok      ${verdict.summary}\n`);
    return;
  }
  for (const problem of verdict.problems) process.stdout.write(`FAILED  ${problem}\n`);
  process.exitCode = 1;
}
