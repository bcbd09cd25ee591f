export { type AlertContextFor, PLAN_ALERT_KINDS } from './caseload-alert-evaluation.ts';
export {
  CASELOAD_ALERT_READERS,
  type CaseloadAlertHistoryItem,
  type CaseloadAlertItem,
  type CaseloadAlertQuery,
  CaseloadAlertReads,
} from './caseload-alert-reads.ts';
export {
  type AlertEvaluation,
  CaseloadAlertSchedule,
  type CaseloadAlertScheduleOptions,
} from './caseload-alert-schedule.ts';
export {
  CASELOAD_ALERTS,
  type CaseloadAlertsDependencies,
  caseloadAlertsProjection,
} from './caseload-alerts-projection.ts';
