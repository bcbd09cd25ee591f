import { createLaCodeRegistry, LA_CODES_ENGLAND, type Plan, type Pupil } from '@small-steps/domain';
import type { EventStore, SqlStorage, TreeHeadSigner } from '@small-steps/event-store';
import {
  AttendanceMarkReads,
  AttendanceTrends,
  AuditTrees,
  attendanceMarksProjection,
  auditTreeProjection,
  FeedReads,
  observationPatternsProjection,
  PlanOverlays,
  PlanReads,
  type Projection,
  PupilReads,
  plainCipher,
  planFold,
  planViewsProjection,
  pupilDirectoryProjection,
  pupilFold,
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
import { type PlanContexts, planContexts, type TenantSettingsFile } from './settings/tenant-settings.ts';

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
  /** The read models written with each append; a runner can rebuild each from the log. */
  inlineProjections: readonly Projection[];
  /** The read models kept from the log by a projection worker, after the events are appended. */
  workerProjections: readonly Projection[];
}

export interface ApplicationDependencies {
  storage: Pick<SqlStorage, 'store' | 'db'>;
  tenantSettings: TenantSettingsFile;
  /** What time it is for decisions that depend on today (default: the system clock). */
  clock?: () => Date;
  /**
   * Seals personal data at rest under each pupil's keys. Without one, personal fields are stored as
   * they are: only for measuring what encryption costs, and for stores made before it.
   */
  vault?: PersonalDataVault;
  /** Signs each tenant's audit tree head; without one, no audit tree is kept. */
  auditSigner?: TreeHeadSigner;
}

/** The composition of commands, read models and their projections over one storage. */
export function createApplication({
  storage,
  tenantSettings,
  clock = () => new Date(),
  vault,
  auditSigner,
}: ApplicationDependencies): Application {
  const { db } = storage;
  const store = vault === undefined ? storage.store : openingStore(storage.store, vault);
  const cipher = vault === undefined ? plainCipher : vaultCipher(vault);
  const contexts = planContexts(tenantSettings);
  const records = new IdempotencyRecords(db, cipher);
  const commands = { store, records, loop: new IdempotentLoop(records), cipher };
  const planStates = new StreamStates<Plan>(store, planFold);
  const pupilStates = new StreamStates<Pupil>(store, pupilFold);
  const planViews = planViewsProjection({ states: planStates, policyFor: contexts.policyFor, cipher });
  const pupilDirectory = pupilDirectoryProjection({ states: pupilStates, cipher });
  const attendanceMarks = attendanceMarksProjection();
  const pupilReads = new PupilReads(db, cipher);
  const planReads = new PlanReads(store, db, contexts.policyFor, cipher);
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
    attendanceTrends: new AttendanceTrends(pupilReads, markReads, new PlanOverlays(planReads), clock),
    feedReads: new FeedReads(store, db),
    auditTrees: new AuditTrees(db),
    auditSigner,
    inlineProjections: [planViews, pupilDirectory, attendanceMarks],
    workerProjections: [
      observationPatternsProjection(),
      ...(auditSigner === undefined ? [] : [auditTreeProjection(auditSigner)]),
    ],
  };
}
