// `pnpm build` runs this after tsc: the migrated PGlite data folder that a new embedded data folder
// starts as (see openStorage).
import { writeDataFolderTemplate } from '@small-steps/event-store';
import { migrations, PGLITE_TEMPLATE_DIR } from './storage.ts';

const path = await writeDataFolderTemplate(PGLITE_TEMPLATE_DIR, migrations);
process.stdout.write(`PGlite data-folder template: ${path}\n`);
