import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { describeEventStoreContract, pgliteDataFolders } from '../../src/testing/index.ts';

// The store the service runs on when no DATABASE_URL is set: PGlite on a data folder, in a thread
// of its own, so that every request crosses to that thread and back.
const root = mkdtempSync(join(tmpdir(), 'ss-pglite-folders-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
describeEventStoreContract(pgliteDataFolders(root));
