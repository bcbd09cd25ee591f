import { createLaCodeRegistry, LA_CODES_ENGLAND, type Plan, type Pupil } from '@small-steps/domain';
import type { EventStore, SqlStorage, TreeHeadSigner } from '@small-steps/event-store';
import {
  AccessLog,
  AnalyticsReads,
  AttendanceMarkReads,
  AttendanceTrends,
  AuditCheckpointSchedule,
  AuditTrees,
  analyticsProjection,
  attendanceMarksProjection,
  auditTreeProjection,
  CaseloadAlertReads,
  CaseloadAlertSchedule,
  CheckpointedStreamHeads,
  type CheckpointPolicy,
  caseloadAlertsProjection,
  DEFAULT_CHECKPOINT_POLICY,
  FeedReads,
  observationPatternsProjection,
  type PersonalCipher,
  PlanOverlays,
  PlanReads,
  type Projection,
  PupilReads,
  plainCipher,
  planFold,
  planViewsProjection,
  pupilDirectoryProjection,
  pupilFold,
  RecordVerification,
  type RunnerLog,
  type SignedStreamHeads,
  StreamStates,
} from '@small-steps/projections';
import { AttendanceCommands } from './attendance/attendance-commands.ts';
import { IdempotencyRecords } from './commands/idempotency.ts';
import { IdempotentLoop } from './commands/idempotent-loop.ts';
import { openingStore } from './personal-data/opening-store.ts';
import type { PersonalDataVault } from './personal-data/personal-data-vault.ts';
import { vaultCipher } from './personal-data/vault-cipher.ts';
import { PlanCommands } from './plans/plan-commands.ts';
import { PupilCommands } from './pupils/pupil-commands.ts';
import { RetentionRun } from './pupils/retention-run.ts';
import { ProjectionRebuilds } from './rebuild/projection-rebuilds.ts';
import { type PlanContexts, planContexts, type TenantSettingsFile } from './settings/tenant-settings.ts';

/** Plan states the daily caseload evaluation keeps: an LA's open plans, with room to spare. */
const ALERT_STATES_CAPACITY = 20_000;

/** What the service does, for any caller: commands to carry out, and reads of the read models. */
export interface Application {
  /** The event store as the application reads it: personal parts opened. */
  store: EventStore;
  /** The personal data vault, when there is a master key: erasure and key rotation go through it. */
  vault: PersonalDataVault | undefined;
  contexts: PlanContexts;
  pupils: PupilCommands;
  /** Finds pupils whose retention periods have ended, and erases that data. */
  retention: RetentionRun;
  plans: PlanCommands;
  attendance: AttendanceCommands;
  pupilReads: PupilReads;
  planReads: PlanReads;
  attendanceTrends: AttendanceTrends;
  /** The tenants' audit trees: signed checkpoints and proofs against them. */
  auditTrees: AuditTrees;
  /** The key that signs checkpoints, when there is one: its public half is what auditors check with. */
  auditSigner: TreeHeadSigner | undefined;
  /** The change feed: the caller's tenant's events in log order, as far as the caller may see them. */
  feedReads: FeedReads;
  /** Pseudonymous figures for analysts, every count suppressed below 5. */
  analyticsReads: AnalyticsReads;
  /** Who read which pupil's record: written by the reads, read by auditors. */
  accessLog: AccessLog;
  /** A plan's or a pupil's hash chain recomputed, and checked against what saw the stream last. */
  verification: RecordVerification;
  /** Open caseload alerts and their history, as far as the caller may see them. */
  caseloadAlertReads: CaseloadAlertReads;
  /** The daily evaluation of caseload alerts, for the process that runs the worker projections. */
  caseloadAlertSchedule(log: RunnerLog, options?: { intervalMs?: number }): CaseloadAlertSchedule;
  /**
   * Signs the audit heads left pending when no later event came to sign them, for the process that
   * runs the worker projections; none without a signing key.
   */
  auditCheckpointSchedule(log: RunnerLog): AuditCheckpointSchedule | undefined;
  /** The read models written with each append; a runner can rebuild each from the log. */
  inlineProjections: readonly Projection[];
  /** The read models kept from the log by a projection worker, after the events are appended. */
  workerProjections: readonly Projection[];
  /** Rebuilds any of these read models from the log, by name. */
  rebuilds: ProjectionRebuilds;
}

export interface ApplicationDependencies {
  /** With `leases` (the SQL storages'), two processes never rebuild one projection at once. */
  storage: Pick<SqlStorage, 'store' | 'db'> & Partial<Pick<SqlStorage, 'leases'>>;
  tenantSettings: TenantSettingsFile;
  /** What time it is for decisions that depend on today (default: the system clock). */
  clock?: () => Date;
  /**
   * Seals personal data at rest under each pupil's keys. Without one, personal fields are stored as
   * they are: only for measuring what encryption costs, and for stores made before it.
   */
  vault?: PersonalDataVault;
  /** The latest signed checkpoint's head of each stream (default: read from the audit tree): verification compares against it. */
  signedHeads?: SignedStreamHeads;
  /** Signs each tenant's audit tree head; without one, no audit tree is kept. */
  auditSigner?: TreeHeadSigner;
  /** How often a tenant's audit head is signed (default: AUDIT_CHECKPOINT_EVENTS and _SECONDS' defaults). */
  auditCheckpoints?: CheckpointPolicy;
}

/** The composition of commands, read models and their projections over one storage. */
export function createApplication({
  storage,
  tenantSettings,
  clock = () => new Date(),
  vault,
  signedHeads,
  auditSigner,
  auditCheckpoints = DEFAULT_CHECKPOINT_POLICY,
}: ApplicationDependencies): Application {
  const { db } = storage;
  const store = vault === undefined ? storage.store : openingStore(storage.store, vault);
  const cipher = vault === undefined ? plainCipher : vaultCipher(vault);
  const contexts = planContexts(tenantSettings);
  const records = new IdempotencyRecords(db, cipher);
  const commands = { store, records, loop: new IdempotentLoop(records), cipher };
  const readModels = () => readModelsOf(store, contexts, cipher, auditSigner, auditCheckpoints);
  const {
    planStates,
    pupilStates,
    planViews,
    pupilDirectory,
    attendanceMarks,
    observationPatterns,
    analytics,
    caseloadAlerts,
    auditTree,
  } = readModels();
  const accessLog = new AccessLog(db, clock);
  const pupilReads = new PupilReads(db, cipher, accessLog);
  const planReads = new PlanReads(store, db, contexts.policyFor, cipher, accessLog);
  const markReads = new AttendanceMarkReads(db);
  const pupils = new PupilCommands({
    ...commands,
    states: pupilStates,
    projection: pupilDirectory,
    context: { laCodes: createLaCodeRegistry(LA_CODES_ENGLAND) },
    vault,
    clock,
  });
  return {
    store,
    vault,
    contexts,
    pupils,
    retention: new RetentionRun({ db, cipher, pupils, clock }),
    plans: new PlanCommands({
      ...commands,
      states: planStates,
      projection: planViews,
      pupils: pupilReads,
      contexts,
      clock,
    }),
    attendance: new AttendanceCommands({
      ...commands,
      pupils: pupilReads,
      marks: markReads,
      projection: attendanceMarks,
      clock,
    }),
    pupilReads,
    planReads,
    attendanceTrends: new AttendanceTrends(pupilReads, markReads, new PlanOverlays(planReads), clock, accessLog),
    feedReads: new FeedReads(store, db, accessLog),
    analyticsReads: new AnalyticsReads(db),
    accessLog,
    verification: new RecordVerification(store, planReads, pupilReads, signedHeads ?? new CheckpointedStreamHeads(db)),
    auditTrees: new AuditTrees(db),
    auditSigner,
    caseloadAlertReads: new CaseloadAlertReads(db),
    caseloadAlertSchedule: (log, options = {}) =>
      new CaseloadAlertSchedule({
        db,
        // Every open plan is judged daily: remember them all, so a day reads only what is new.
        states: new StreamStates<Plan>(store, planFold, ALERT_STATES_CAPACITY),
        contextFor: contexts.contextFor,
        clock,
        log,
        ...options,
      }),
    auditCheckpointSchedule: (log) =>
      auditSigner === undefined
        ? undefined
        : new AuditCheckpointSchedule({
            db,
            signer: auditSigner,
            everySeconds: auditCheckpoints.everySeconds,
            clock,
            log,
          }),
    inlineProjections: [planViews, pupilDirectory, attendanceMarks],
    workerProjections: [observationPatterns, analytics, caseloadAlerts, ...auditTree],
    rebuilds: new ProjectionRebuilds({
      db,
      store,
      vault,
      leases: storage.leases,
      projections() {
        const fresh = readModels();
        return {
          inline: [fresh.planViews, fresh.pupilDirectory, fresh.attendanceMarks],
          worker: [fresh.observationPatterns, fresh.analytics, fresh.caseloadAlerts, ...fresh.auditTree],
        };
      },
    }),
  };
}

/** The projections, over states of their own: the application's, or a rebuild's that starts from nothing. */
function readModelsOf(
  store: EventStore,
  contexts: PlanContexts,
  cipher: PersonalCipher,
  auditSigner: TreeHeadSigner | undefined,
  auditCheckpoints: CheckpointPolicy,
) {
  const planStates = new StreamStates<Plan>(store, planFold);
  const pupilStates = new StreamStates<Pupil>(store, pupilFold);
  return {
    planStates,
    pupilStates,
    planViews: planViewsProjection({ states: planStates, policyFor: contexts.policyFor, cipher }),
    pupilDirectory: pupilDirectoryProjection({ states: pupilStates, cipher }),
    attendanceMarks: attendanceMarksProjection(),
    observationPatterns: observationPatternsProjection(),
    analytics: analyticsProjection({ cipher }),
    caseloadAlerts: caseloadAlertsProjection({
      states: new StreamStates<Plan>(store, planFold),
      contextFor: contexts.contextFor,
    }),
    // Kept only where a key signs its heads.
    auditTree: auditSigner === undefined ? [] : [auditTreeProjection(auditSigner, auditCheckpoints)],
  };
}
