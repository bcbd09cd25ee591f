export {
  AccessLog,
  type AccessLogQuery,
  type AccessRecord,
  type ReadAccess,
  type Reader,
  type ReadSubject,
  unrecorded,
} from './access/access-log.ts';
export * from './alerts/index.ts';
export type { AnalyticsSchema } from './analytics/analytics-migration.ts';
export { type AnalyticsDependencies, analyticsProjection } from './analytics/analytics-projection.ts';
export {
  ANALYTICS_READERS,
  type AnalyticsFilter,
  AnalyticsReads,
  ATTENDANCE_GROUPINGS,
  type AttendanceAnalytics,
  type AttendanceGrouping,
  type AttendanceWeekRow,
  type CountsRow,
  PLAN_GROUPINGS,
  PLAN_STATUSES,
  type PlanGrouping,
  type PlanOutcomes,
  type PlanOutcomesRow,
  type PlansByStatus,
} from './analytics/analytics-reads.ts';
export * from './attendance/index.ts';
export * from './audit/index.ts';
export { RecordVerification, type SignedHead, type SignedStreamHeads } from './audit/record-verification.ts';
export { decodeCursor, decodeLogCursor, encodeCursor, encodeLogCursor, InvalidCursor } from './cursor.ts';
export { FEED_READERS, FeedReads, type FeedReadsOptions, type FeedRequest } from './feed/feed-reads.ts';
export { LruCache } from './lru-cache.ts';
export { openedReader, type PersonalCipher, type PersonalSubject, plainCipher } from './personal-cipher.ts';
export { observationPatternsProjection } from './plans/observation-patterns-projection.ts';
export { planFold, planStreamId } from './plans/plan-fold.ts';
export {
  type ObservationPatterns,
  type PageRequest,
  type PlanFilter,
  PlanReads,
  planResource,
} from './plans/plan-reads.ts';
export {
  type AttemptRow,
  attemptsColumn,
  isOneOpenPlanViolation,
  openView,
  type PlanViewsDependencies,
  planViewsProjection,
  RECENT_VIEWS,
  viewOf,
  withAttempts,
} from './plans/plan-views-projection.ts';
export type { PlanViewsSchema, PlanViewsTable } from './plans/plan-views-table.ts';
export { byStream, handlesType, type Projection } from './projection.ts';
export {
  isUpnTaken,
  pupilDirectoryProjection,
  UPN_HASH,
  UPN_UNIQUE_INDEX,
} from './pupils/pupil-directory-projection.ts';
export type { PupilDirectorySchema, PupilDirectoryTable } from './pupils/pupil-directory-table.ts';
export { pupilFold, pupilStreamId } from './pupils/pupil-fold.ts';
export { type PupilOnRoll, PupilReads } from './pupils/pupil-reads.ts';
export { readModelMigrations } from './read-model-migrations.ts';
export { type Checkpoint, Checkpoints, type ProjectionFailure } from './runner/checkpoints.ts';
export { PROJECTION_GAUGES, type ProjectionGauge } from './runner/lag-metrics.ts';
export {
  ProjectionRunner,
  type RunnerLog,
  type RunnerOptions,
  type RunnerState,
  type RunnerStatus,
} from './runner/projection-runner.ts';
export { describeRunner, ProjectionWorker, type WorkerOptions } from './runner/projection-worker.ts';
export { type Fold, type StreamReader, type StreamState, StreamStates } from './stream-states.ts';
