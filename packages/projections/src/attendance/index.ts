export { AttendanceMarkReads } from './attendance-mark-reads.ts';
export { attendanceMarksProjection } from './attendance-marks-projection.ts';
export type {
  AttendanceMarksSchema,
  AttendanceMarksSupersededTable,
  AttendanceMarksTable,
} from './attendance-marks-table.ts';
export { AttendanceTrends, type PupilTrend, type TrendQuery } from './attendance-trends.ts';
export { type PlanOverlay, PlanOverlays, type StepAnxietySeries } from './plan-overlays.ts';
