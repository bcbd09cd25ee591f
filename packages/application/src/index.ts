export { type Application, type ApplicationDependencies, createApplication } from './application.ts';
export { PUPIL_ROW_RULES } from './attendance/attendance-upload.ts';
export {
  type AuditSigningKeySettings,
  dataDirSigningKeyFile,
  loadAuditSigner,
} from './audit/audit-signing-key.ts';
export type { CommandOptions } from './commands/command-options.ts';
export { type Answer, type CommandResult, etagFor, type FieldError } from './commands/command-result.ts';
export { type CommandReport, onCommandReport } from './commands/command-telemetry.ts';
export { eventIdFor } from './commands/event-ids.ts';
export { hashRequest, type IdempotencyRequest } from './commands/idempotency.ts';
export { applicationMigrations } from './commands/idempotency-migrations.ts';
export { type MasterKey, masterKeyFile, masterKeyFrom } from './personal-data/master-key.ts';
export { dataDirKeyFile, loadMasterKey, type MasterKeySettings, openVault } from './personal-data/open-vault.ts';
export { personalDataKeysMigration } from './personal-data/personal-data-migrations.ts';
export {
  ERASED,
  ErasedSubject,
  PersonalDataVault,
  type RetentionClass,
  type Subject,
} from './personal-data/personal-data-vault.ts';
export { type SealingSummary, sealPlainRecords } from './personal-data/seal-plain-records.ts';
export type { PlanCommandOptions, PlanCommandRequest } from './plans/plan-commands.ts';
export type { PlanReference } from './plans/plan-references.ts';
export {
  type RetentionDue,
  type RetentionProgress,
  RetentionRun,
  type RetentionRunOptions,
  type RetentionSummary,
} from './pupils/retention-run.ts';
export type { RowDifference, TableComparison } from './rebuild/compare-tables.ts';
export { ProjectionRebuilds, RebuildInProgress, UnknownProjection } from './rebuild/projection-rebuilds.ts';
export type {
  ProjectionKind,
  RebuildOptions,
  RebuildProgress,
  RebuildReport,
} from './rebuild/rebuild-projection.ts';
export {
  type PlanContexts,
  planContexts,
  readTenantSettingsFile,
  TenantSettingsFile,
} from './settings/tenant-settings.ts';
export {
  EventStoreUnreachable,
  type KurrentDbSettings,
  migrations,
  openStorage,
  PGLITE_TEMPLATE_DIR,
  type StorageSettings,
} from './storage.ts';
