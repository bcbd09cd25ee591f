import { createLaCodeRegistry, LA_CODES_ENGLAND } from '@small-steps/domain';
import type { EventStore } from '@small-steps/event-store';
import type { PupilDirectorySchema } from '@small-steps/projections';
import type { Kysely } from 'kysely';
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
}

export function createServices({ config, store }: { config: Config; store: EventStore }): Services {
  const laCodes = createLaCodeRegistry(LA_CODES_ENGLAND);
  const pupilReads = new PupilReads(store.db as unknown as Kysely<PupilDirectorySchema>);
  const contexts = planContexts(config.tenantSettings);
  return {
    config,
    store,
    pupilCommands: new PupilCommands(store, { laCodes }),
    pupilReads,
    planCommands: new PlanCommands(store, pupilReads, contexts),
    planReads: new PlanReads(store, contexts),
  };
}
