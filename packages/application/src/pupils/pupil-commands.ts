import { pupilEventCodec } from '@small-steps/contracts';
import {
  decidePupil,
  type ErasePupilData,
  evolvePupil,
  initialPupilState,
  type Pupil,
  type PupilCommand,
  type PupilContext,
  type PupilEvent,
  pupilView,
} from '@small-steps/domain';
import type { ReadModelTx } from '@small-steps/event-store';
import { isUpnTaken, type Projection, pupilStreamId, type StreamStates } from '@small-steps/projections';
import type { CommandOptions } from '../commands/command-options.ts';
import { type CommandResult, refused, rejected } from '../commands/command-result.ts';
import { type Aggregate, type CommandContext, runCommand } from '../commands/run-command.ts';
import type { PersonalDataVault } from '../personal-data/personal-data-vault.ts';
import { pupilResponse } from './pupil-response.ts';

/** What pupil commands need besides the store. */
export interface PupilCommandsDependencies extends CommandContext {
  states: StreamStates<Pupil>;
  projection: Projection;
  context: PupilContext;
  /** Erasure destroys keys in it; without one, there is nothing to erase by. */
  vault: PersonalDataVault | undefined;
  clock: () => Date;
}

/** Carries out pupil commands: decide, and append with the pupil directory's row in the same statement. */
export class PupilCommands {
  readonly #deps: PupilCommandsDependencies;
  readonly #aggregate: Aggregate<Pupil, PupilCommand, PupilEvent, PupilContext>;

  constructor(deps: PupilCommandsDependencies) {
    this.#deps = deps;
    this.#aggregate = {
      states: deps.states,
      initialState: initialPupilState,
      evolve: evolvePupil,
      decide: decidePupil,
      codec: pupilEventCodec,
      projection: deps.projection,
      subjectOf: (pupil, tenant) =>
        pupil.status === 'registered' ? { id: pupil.pupilId, class: 'records', tenant } : undefined,
      refusalOf: (error) =>
        isUpnTaken(error)
          ? rejected('upn-unique', 'Another pupil in this LA already has this UPN: a UPN identifies one pupil.', [
              { pointer: '/body/upn', detail: 'is already recorded for another pupil', code: 'upn_unique' },
            ])
          : undefined,
    };
  }

  /**
   * Erases the pupil's personal data of a retention class: `PupilDataErased` is appended and the
   * pupil's key for that class destroyed in the same statement, so neither happens without the other.
   * Afterwards every value sealed with the key reads `[erased]`, and the events and their hashes
   * stay as they were.
   */
  erase(command: ErasePupilData, options: CommandOptions): Promise<CommandResult> {
    const { vault } = this.#deps;
    if (vault === undefined) {
      return Promise.resolve(
        refused('validation', 'Erasure needs personal data sealed under keys: configure MASTER_KEY.'),
      );
    }
    const subject = { id: command.data.pupilId, class: command.data.retentionClass, tenant: options.principal.tenant };
    return this.run(command, options, 200, {
      alsoWrite: async (tx) => {
        await tx.execute(vault.destroyKey(subject, this.#deps.clock()));
        tx.afterCommit(() => vault.forget(subject));
      },
    });
  }

  run(
    command: PupilCommand,
    options: CommandOptions & { reason?: string },
    status = 200,
    erasure?: { alsoWrite(tx: ReadModelTx): Promise<void> },
  ): Promise<CommandResult> {
    const { principal } = options;
    const isNew = command.type === 'RegisterPupil';
    return runCommand(this.#deps, this.#aggregate, {
      streamId: pupilStreamId(command.data.pupilId),
      command,
      context: this.#deps.context,
      options,
      ...(options.reason ? { reason: options.reason } : {}),
      ...(isNew
        ? {}
        : {
            existing: {
              isVisible: (state: Pupil) =>
                !principal.schoolUrn || (pupilView(state)?.onRollAt.includes(principal.schoolUrn) ?? false),
              notFound: `No pupil ${command.data.pupilId} in your records.`,
            },
          }),
      respond: (state, version) => {
        const view = pupilView(state);
        return { status, body: view && pupilResponse(view, version) };
      },
      ...(erasure ? { alsoWrite: erasure.alsoWrite } : {}),
    });
  }
}
