export * from './attendance/index.ts';
export { type PupilDirectoryRow, writePupilDirectoryRow } from './pupils/pupil-directory-projector.ts';
export type { PupilDirectorySchema, PupilDirectoryTable } from './pupils/pupil-directory-table.ts';
export { isOneOpenPlanViolation, type PlanViewRow, writePlanViewRow } from './plans/plan-views-projector.ts';
export type { PlanViewsSchema, PlanViewsTable } from './plans/plan-views-table.ts';
export { readModelMigrations } from './read-model-migrations.ts';
