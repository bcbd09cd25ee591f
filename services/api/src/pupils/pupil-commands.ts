import { type Pupil, type PupilCommand, type PupilContext, pupilView } from '@small-steps/domain';
import type { EventStore, StoredEvent, StoreTransaction } from '@small-steps/event-store';
import { type PupilDirectorySchema, writePupilDirectoryRow } from '@small-steps/projections';
import type { Kysely } from 'kysely';
import type { HttpCommandOptions } from '../commands/http-command.ts';
import { type CommandResult, runCommand } from '../commands/run-command.ts';
import { RuleBroken } from '../plugins/problems.ts';
import { pupilAggregate, pupilStreamId } from './pupil-aggregate.ts';
import { pupilResponse } from './pupil-response.ts';

const isUniqueUpnViolation = (error: unknown): boolean =>
  typeof error === 'object' &&
  error !== null &&
  (error as { code?: string }).code === '23505' &&
  (error as { constraint?: string }).constraint === 'pupil_directory_upn_unique';

async function projectPupil(
  trx: StoreTransaction,
  appended: readonly StoredEvent[],
  state: Pupil,
  tenant: string,
): Promise<void> {
  const view = pupilView(state);
  const last = appended.at(-1);
  if (!view || !last) return;
  const registration = appended.find((e) => e.type === 'PupilRegistered');
  try {
    await writePupilDirectoryRow(trx as unknown as Kysely<PupilDirectorySchema>, {
      tenant,
      view,
      version: last.version,
      registeredPosition: registration?.position ?? last.position,
      registeredAt: registration?.recordedAt ?? last.recordedAt,
    });
  } catch (error) {
    if (isUniqueUpnViolation(error)) {
      throw new RuleBroken('upn-unique', 'Another pupil in this LA already has this UPN: a UPN identifies one pupil.', [
        { pointer: '/body/upn', detail: 'is already recorded for another pupil', code: 'upn_unique' },
      ]);
    }
    throw error;
  }
}

/** Carries out pupil commands: decide, append, and keep the pupil directory in the same transaction. */
export class PupilCommands {
  readonly #store: EventStore;
  readonly #context: PupilContext;

  constructor(store: EventStore, context: PupilContext) {
    this.#store = store;
    this.#context = context;
  }

  run(
    command: PupilCommand,
    options: HttpCommandOptions & { reason?: string },
    statusCode = 200,
  ): Promise<CommandResult> {
    const { principal } = options;
    const isNew = command.type === 'RegisterPupil';
    return runCommand(this.#store, {
      ...options,
      aggregate: pupilAggregate,
      streamId: pupilStreamId(command.data.pupilId),
      command,
      context: this.#context,
      ...(isNew
        ? {}
        : {
            existing: {
              isVisible: (state: Pupil) =>
                !principal.schoolUrn || (pupilView(state)?.onRollAt.includes(principal.schoolUrn) ?? false),
              notFound: `No pupil ${command.data.pupilId} in your records.`,
            },
          }),
      project: (trx, appended, state) => projectPupil(trx, appended, state, principal.tenant),
      respond: (state, version) => {
        const view = pupilView(state);
        return { statusCode, body: view && pupilResponse(view, version) };
      },
    });
  }
}
