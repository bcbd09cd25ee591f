export { type PupilDirectoryRow, writePupilDirectoryRow } from './pupils/pupil-directory-projector.ts';
export type { PupilDirectorySchema, PupilDirectoryTable } from './pupils/pupil-directory-table.ts';
export { readModelMigrations } from './read-model-migrations.ts';
