import { pupilEventCodec } from '@small-steps/contracts';
import { evolvePupil, initialPupilState, type Pupil } from '@small-steps/domain';
import type { Fold } from '../stream-states.ts';

/** A pupil stream's events folded into the pupil, each read through its codec (upcasters applied). */
export const pupilFold: Fold<Pupil> = {
  initial: initialPupilState,
  evolve: (pupil, event) => pupilEventCodec.decode(event).reduce(evolvePupil, pupil),
};

export const pupilStreamId = (pupilId: string): string => `pupil-${pupilId}`;
