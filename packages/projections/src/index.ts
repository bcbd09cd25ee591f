export * from './attendance/index.ts';
export {
  attemptsColumn,
  isOneOpenPlanViolation,
  type NewAttempt,
  type PlanViewChange,
  planViewWrites,
  withAttempts,
} from './plans/plan-views-projector.ts';
export type { PlanViewsSchema, PlanViewsTable } from './plans/plan-views-table.ts';
export { type PupilDirectoryChange, pupilDirectoryWrite } from './pupils/pupil-directory-projector.ts';
export type { PupilDirectorySchema, PupilDirectoryTable } from './pupils/pupil-directory-table.ts';
export { readModelMigrations } from './read-model-migrations.ts';
