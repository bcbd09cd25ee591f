import { z } from 'zod';
import { personal } from '../common/personal.ts';
import { isoDate, safeText } from '../common/safe-text.ts';
import { AdjustmentKind, BarrierKind, itemId, personalText } from './plan-fields.ts';
import { commandBody, factV1 } from './plan-schema-builders.ts';

const description = personalText('description', 4000);
const notes = personalText('notes', 4000).nullable();
const reason = personalText('reason', 4000);

const barrier = {
  barrierId: itemId,
  kind: BarrierKind,
  description,
  situations: personal('situations', z.array(safeText(200)).max(20)).meta({
    description: 'The situations it affects (e.g. `assembly`, `class`).',
  }),
};
const barrierExample = {
  barrierId: 'barrier-noise',
  kind: 'sensory',
  description: 'The classroom is too loud to think in.',
  situations: ['class'],
};
export const BarrierIdentifiedV1 = factV1('BarrierIdentified', barrier, barrierExample);
export const IdentifyBarrierBody = commandBody(
  'IdentifyBarrierBody',
  { ...barrier, situations: barrier.situations.default([]) },
  barrierExample,
);

const adjustment = { kind: AdjustmentKind, description };
const adjustmentExample = { kind: 'environment_change', description: 'A quiet room to go to before lessons.' };
export const AdjustmentPutInPlaceV1 = factV1(
  'AdjustmentPutInPlace',
  { barrierId: itemId, ...adjustment },
  { barrierId: 'barrier-noise', ...adjustmentExample },
);
export const PutAdjustmentInPlaceBody = commandBody('PutAdjustmentInPlaceBody', adjustment, adjustmentExample);

const addressedExample = { notes: 'The quiet room works: the pupil uses it before class.' };
export const BarrierAddressedV1 = factV1(
  'BarrierAddressed',
  { barrierId: itemId, notes },
  { barrierId: 'barrier-noise', ...addressedExample },
);
export const AddressBarrierBody = commandBody('AddressBarrierBody', { notes: notes.default(null) }, addressedExample);

const exclusion = {
  situation: personalText('situation', 200),
  reason,
  reviewOn: isoDate.nullable().meta({ description: 'When to look at it again; null: permanently.' }),
};
const exclusionExample = {
  situation: 'assembly',
  reason: 'The hall is too loud and always will be.',
  reviewOn: null,
};
export const SituationExcludedV1 = factV1(
  'SituationExcluded',
  { barrierId: itemId, ...exclusion },
  { barrierId: 'barrier-hall', ...exclusionExample },
);
export const ExcludeSituationBody = commandBody('ExcludeSituationBody', exclusion, exclusionExample);

const provision = {
  provisionId: itemId,
  provision: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,63}$/, { message: 'must be a code from the provision catalogue' })
    .meta({ maxLength: 64, description: "A code from the tenant's provision catalogue, e.g. `pre_post_brief`." }),
  details: personalText('details', 4000).nullable(),
};
const provisionExample = {
  provisionId: 'provision-brief',
  provision: 'pre_post_brief',
  details: 'Ten minutes with the key adult at 8:45 and 15:05.',
};
export const ProvisionArrangedV1 = factV1('ProvisionArranged', provision, provisionExample);
export const ArrangeProvisionBody = commandBody(
  'ArrangeProvisionBody',
  { ...provision, details: provision.details.default(null) },
  provisionExample,
);
export const ProvisionEndedV1 = factV1(
  'ProvisionEnded',
  { provisionId: itemId, reason: reason.nullable() },
  { provisionId: 'provision-brief', reason: 'No longer needed.' },
);
export const EndProvisionBody = commandBody(
  'EndProvisionBody',
  { reason: reason.nullable().default(null) },
  {
    reason: 'No longer needed.',
  },
);
