import { pupilEventCodec } from '@small-steps/contracts';
import {
  decidePupil,
  evolvePupil,
  initialPupilState,
  type Pupil,
  type PupilCommand,
  type PupilContext,
  type PupilEvent,
  pupilView,
} from '@small-steps/domain';
import { isUpnTaken, type Projection, pupilStreamId, type StreamStates } from '@small-steps/projections';
import type { CommandOptions } from '../commands/command-options.ts';
import { type CommandResult, rejected } from '../commands/command-result.ts';
import { type Aggregate, type CommandContext, runCommand } from '../commands/run-command.ts';
import { pupilResponse } from './pupil-response.ts';

/** What pupil commands need besides the store. */
export interface PupilCommandsDependencies extends CommandContext {
  states: StreamStates<Pupil>;
  projection: Projection;
  context: PupilContext;
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
      refusalOf: (error) =>
        isUpnTaken(error)
          ? rejected('upn-unique', 'Another pupil in this LA already has this UPN: a UPN identifies one pupil.', [
              { pointer: '/body/upn', detail: 'is already recorded for another pupil', code: 'upn_unique' },
            ])
          : undefined,
    };
  }

  run(command: PupilCommand, options: CommandOptions & { reason?: string }, status = 200): Promise<CommandResult> {
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
    });
  }
}
