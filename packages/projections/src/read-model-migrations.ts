import { type Kysely, sql } from 'kysely';
import type { Migration } from 'kysely/migration';
import { accessLogMigration } from './access/access-log-migration.ts';
import { caseloadAlertReadsMigration } from './alerts/caseload-alert-reads-migration.ts';
import { caseloadAlertsMigration } from './alerts/caseload-alerts-migration.ts';
import { analyticsMigration } from './analytics/analytics-migration.ts';
import { analyticsOtherRollsMigration } from './analytics/analytics-other-rolls-migration.ts';
import { attendanceMarksMigration } from './attendance/attendance-marks-migration.ts';
import { attendanceMarksReplayMigration } from './attendance/attendance-marks-replay-migration.ts';
import { attendanceMarksSupersededMigration } from './attendance/attendance-marks-superseded-migration.ts';
import { auditNodesSparseMigration } from './audit/audit-nodes-sparse-migration.ts';
import { auditPendingHeadsMigration } from './audit/audit-pending-heads-migration.ts';
import { auditTreeMigration } from './audit/audit-tree-migration.ts';
import { observationPatternsMigration } from './plans/observation-patterns-migration.ts';
import { planStepAttemptsMigration } from './plans/plan-step-attempts-migration.ts';
import { planViewsMigration } from './plans/plan-views-migration.ts';
import { planViewsPersonalMigration } from './plans/plan-views-personal-migration.ts';
import { pupilDirectoryUpnHashMigration } from './pupils/pupil-directory-upn-hash-migration.ts';
import { projectionCheckpointsMigration } from './runner/checkpoints-migration.ts';

const pupilDirectory: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('pupil_directory')
      .addColumn('pupil_id', 'uuid', (c) => c.primaryKey())
      .addColumn('tenant', 'text', (c) => c.notNull())
      .addColumn('school_urn', 'text', (c) => c.notNull())
      .addColumn('upn', 'text', (c) => c.notNull())
      .addColumn('year_group', 'text', (c) => c.notNull())
      .addColumn('sen_provision', 'text', (c) => c.notNull())
      .addColumn('needs', 'jsonb', (c) => c.notNull())
      .addColumn('personal', 'jsonb', (c) => c.notNull())
      .addColumn('enrolments', 'jsonb', (c) => c.notNull())
      .addColumn('on_roll_at', 'jsonb', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('registered_position', 'bigint', (c) => c.notNull())
      .addColumn('registered_at', 'timestamptz', (c) => c.notNull())
      .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .execute();
    await db.schema
      .createIndex('pupil_directory_upn_unique')
      .on('pupil_directory')
      .columns(['tenant', 'upn'])
      .unique()
      .execute();
    await sql`create index pupil_directory_on_roll_at on pupil_directory using gin (on_roll_at jsonb_path_ops)`.execute(
      db,
    );
    await db.schema
      .createIndex('pupil_directory_tenant_page')
      .on('pupil_directory')
      .columns(['tenant', 'registered_position'])
      .execute();
  },
};

/** Migrations of the read models, run after the event store's own. */
export const readModelMigrations: { name: string; migrations: Record<string, Migration> }[] = [
  {
    name: 'read_models',
    migrations: {
      '0001_pupil_directory': pupilDirectory,
      '0002_plan_views': planViewsMigration,
      '0003_attendance_marks': attendanceMarksMigration,
      '0004_plan_step_attempts': planStepAttemptsMigration,
      '0005_attendance_marks_superseded': attendanceMarksSupersededMigration,
      '0006_attendance_marks_replay': attendanceMarksReplayMigration,
      '0007_projection_checkpoints': projectionCheckpointsMigration,
      '0008_observation_patterns': observationPatternsMigration,
      '0009_plan_views_personal': planViewsPersonalMigration,
      '0010_pupil_directory_upn_hash': pupilDirectoryUpnHashMigration,
      '0011_analytics': analyticsMigration,
      '0012_access_log': accessLogMigration,
      '0013_caseload_alerts': caseloadAlertsMigration,
      '0014_audit_tree': auditTreeMigration,
      '0015_audit_nodes_sparse': auditNodesSparseMigration,
      '0016_audit_pending_heads': auditPendingHeadsMigration,
      '0017_caseload_alert_reads': caseloadAlertReadsMigration,
      '0018_analytics_other_rolls': analyticsOtherRollsMigration,
    },
  },
];
