// Prints the data-folder template a new embedded data folder is copied from, as this build of the
// code names it and where it looks. The build runs it from tsc's output and from the bundle, whose
// code reads differently and so names the same template differently (see rolldown.config.ts).

import { migrations, PGLITE_TEMPLATE_DIR } from '@small-steps/application';
import { dataFolderTemplatePath } from '@small-steps/event-store';

process.stdout.write(dataFolderTemplatePath(PGLITE_TEMPLATE_DIR, migrations));
