// The service's entry. It begins opening the embedded database before it loads the service's code:
// PostgreSQL in WASM takes about half a second to start, and starts beside the loading in a thread
// of its own. Everything else is imported after that, and after the compile cache is on.

import { enableCompileCache } from 'node:module';
import { join } from 'node:path';
import { openExistingDataFolder } from '@small-steps/event-store/pglite-folder';

// Node keeps the code it compiled in its cache folder (under the system's temporary folder), so a
// later start reads it instead of parsing the service's code again.
enableCompileCache();

// The embedded folder as the configuration will name it (no DATABASE_URL: DATA_DIR/pglite), read
// here because config.ts loads with the service's code; the storage takes it only if it is the
// configured folder, so a wrong guess costs a second open, never the wrong folder.
const env = process.env;
const embedded = env.DATABASE_URL ? null : join(env.DATA_DIR || './.data', 'pglite');
const opening = embedded === null ? null : openExistingDataFolder(embedded);

try {
  const { serve } = await import('./serve.ts');
  await serve(opening);
} catch (error) {
  process.stderr.write(`Small Steps failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
