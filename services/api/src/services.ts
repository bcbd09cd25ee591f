import { createLaCodeRegistry, LA_CODES_ENGLAND } from '@small-steps/domain';
import type { EventStore } from '@small-steps/event-store';
import type { PupilDirectorySchema } from '@small-steps/projections';
import type { Kysely } from 'kysely';
import { AttendanceCommands } from './attendance/attendance-commands.ts';
import { AttendanceMarkReads } from './attendance/attendance-mark-reads.ts';
import { PlanOverlays } from './attendance/attendance-plan-overlay.ts';
import { AttendanceTrends } from './attendance/attendance-trends.ts';
import type { Config } from './config.ts';
import { PlanCommands } from './plans/plan-commands.ts';
import { PlanReads } from './plans/plan-reads.ts';
import { planContexts } from './plans/tenant-settings.ts';
import { PupilCommands } from './pupils/pupil-commands.ts';
import { PupilReads } from './pupils/pupil-reads.ts';

/** The composition root's product: what routes call. */
export interface Services {
  config: Config;
  store: EventStore;
  pupilCommands: PupilCommands;
  pupilReads: PupilReads;
  planCommands: PlanCommands;
  planReads: PlanReads;
  attendanceCommands: AttendanceCommands;
  attendanceTrends: AttendanceTrends;
}

/** `clock` says what time it is for decisions that depend on today (default: the system clock). */
export function createServices({
  config,
  store,
  clock = () => new Date(),
}: {
  config: Config;
  store: EventStore;
  clock?: () => Date;
}): Services {
  const laCodes = createLaCodeRegistry(LA_CODES_ENGLAND);
  const pupilReads = new PupilReads(store.db as unknown as Kysely<PupilDirectorySchema>);
  const contexts = planContexts(config.tenantSettings);
  const planReads = new PlanReads(store, contexts);
  const attendanceMarks = new AttendanceMarkReads(store);
  return {
    config,
    store,
    pupilCommands: new PupilCommands(store, { laCodes }),
    pupilReads,
    planCommands: new PlanCommands(store, pupilReads, contexts),
    planReads,
    attendanceCommands: new AttendanceCommands(store, pupilReads, attendanceMarks, clock),
    attendanceTrends: new AttendanceTrends(pupilReads, attendanceMarks, new PlanOverlays(planReads), clock),
  };
}
