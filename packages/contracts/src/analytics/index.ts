export {
  AnalyticsAttendance,
  AnalyticsAttendanceQuery,
  AnalyticsCount,
  AnalyticsPlanOutcomes,
  AnalyticsPlans,
  AnalyticsPlansQuery,
} from './analytics-schemas.ts';
