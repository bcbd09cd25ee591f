import {
  decidePupil,
  evolvePupil,
  initialPupilState,
  type Pupil,
  type PupilCommand,
  type PupilContext,
  type PupilEvent,
} from '@small-steps/domain';
import type { Aggregate } from '../commands/run-command.ts';

export const pupilStreamId = (pupilId: string): string => `pupil-${pupilId}`;

/** The pupil decider as the command runner drives it; personal fields are stored apart. */
export const pupilAggregate: Aggregate<Pupil, PupilCommand, PupilEvent, PupilContext> = {
  initialState: initialPupilState,
  evolve: evolvePupil,
  decide: decidePupil,
  toStored: (event) => ({
    type: event.type,
    schemaVersion: 1,
    data: { ...event.data },
    personal: 'personal' in event ? { ...event.personal } : null,
  }),
  fromStored: (stored) =>
    ({ type: stored.type, data: stored.data, personal: stored.personal ?? undefined }) as PupilEvent,
};
