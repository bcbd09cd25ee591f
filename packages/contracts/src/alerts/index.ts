export {
  CaseloadAlert,
  CaseloadAlertHistory,
  CaseloadAlertHistoryEntry,
  CaseloadAlertHistoryQuery,
  CaseloadAlertKind,
  CaseloadAlertPage,
  CaseloadAlertQuery,
} from './caseload-alert-schemas.ts';
