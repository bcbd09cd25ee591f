import { type Pupil, type PupilCommand, type PupilContext, pupilView } from '@small-steps/domain';
import type { EventStore } from '@small-steps/event-store';
import { pupilDirectoryWrite } from '@small-steps/projections';
import type { HttpCommandOptions } from '../commands/http-command.ts';
import { type CommandResult, type InlineProjection, runCommand } from '../commands/run-command.ts';
import { RuleBroken } from '../plugins/problems.ts';
import { pupilAggregate, pupilStreamId } from './pupil-aggregate.ts';
import { pupilResponse } from './pupil-response.ts';

const isUniqueUpnViolation = (error: unknown): boolean =>
  typeof error === 'object' &&
  error !== null &&
  (error as { code?: string }).code === '23505' &&
  (error as { constraint?: string }).constraint === 'pupil_directory_upn_unique';

/** The pupil's directory row, written with the append; a taken UPN is `upn-unique`. */
function projectPupil(state: Pupil, version: number, tenant: string): InlineProjection {
  const view = pupilView(state);
  return {
    writes: view ? [pupilDirectoryWrite({ tenant, view, version })] : [],
    refusal: (error) =>
      isUniqueUpnViolation(error)
        ? new RuleBroken('upn-unique', 'Another pupil in this LA already has this UPN: a UPN identifies one pupil.', [
            { pointer: '/body/upn', detail: 'is already recorded for another pupil', code: 'upn_unique' },
          ])
        : undefined,
  };
}

/** Carries out pupil commands: decide, and append with the pupil directory's row in the same statement. */
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
      project: ({ after, version }) => projectPupil(after, version, principal.tenant),
      respond: (state, version) => {
        const view = pupilView(state);
        return { statusCode, body: view && pupilResponse(view, version) };
      },
    });
  }
}
