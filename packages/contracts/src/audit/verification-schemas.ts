import { z } from 'zod';
import { storedId, storedList, wholeNumber } from '../common/bounds.ts';

const hash = z
  .string()
  .regex(/^[0-9a-f]{64}$/)
  .meta({ maxLength: 64 });

/** Why a record's chain does not hold: the first finding, in the order the chain is walked. */
export const CHAIN_PROBLEMS = [
  'version gap',
  'previous hash does not link',
  'hash mismatch',
  'events missing after the last stored',
  'checkpoint hash differs',
] as const;

/** What a head the record's stream was seen at says of it: by the read model, or by a signed checkpoint. */
export const SeenHead = z
  .object({
    seenBy: z.enum(['read-model', 'signed-checkpoint']),
    version: wholeNumber(0),
    hash: hash.nullable().meta({ description: 'The head hash it saw, when it keeps one (a read model does not).' }),
  })
  .meta({ id: 'SeenHead' });

export const BrokenLink = z
  .object({
    version: wholeNumber(1).meta({ description: 'The first version that fails.' }),
    position: storedId()
      .nullable()
      .meta({ description: 'Its place in the log, when it is stored (null when it is missing).' }),
    expectedHash: hash
      .nullable()
      .meta({ description: 'The hash recomputed from what is stored, or the hash a checkpoint signed.' }),
    storedHash: hash.nullable().meta({ description: 'The hash stored with the event (null when it is missing).' }),
    problem: z.enum(CHAIN_PROBLEMS),
  })
  .meta({ id: 'BrokenLink' });

export const ChainVerification = z
  .discriminatedUnion('ok', [
    z.object({
      ok: z.literal(true),
      streamId: storedId(),
      version: wholeNumber(0).meta({ description: 'How many events were checked: the stream’s version.' }),
      headHash: hash.nullable().meta({ description: 'The last event’s hash: compare it with one you kept.' }),
      comparedWith: storedList(SeenHead),
    }),
    z.object({
      ok: z.literal(false),
      streamId: storedId(),
      version: wholeNumber(0).meta({ description: 'How many events held before the first broken link.' }),
      comparedWith: storedList(SeenHead),
      brokenAt: BrokenLink,
    }),
  ])
  .meta({
    id: 'ChainVerification',
    description:
      'The record’s hash chain recomputed from the stored events. `comparedWith` lists the heads the stream’s length was checked against (the read model’s version; a signed checkpoint once there is one), so that removing the last events is found too, not only changing one.',
    example: {
      ok: true,
      streamId: 'plan-0b7e6f0e-3c1e-4c56-9a43-5a0f3f1c2d01',
      version: 14,
      headHash: '9f2c4e1a0b7d3c5e8f6a1b2c3d4e5f60718293a4b5c6d7e8f9012a3b4c5d6e7f',
      comparedWith: [{ seenBy: 'read-model', version: 14, hash: null }],
    },
  });
export type ChainVerification = z.infer<typeof ChainVerification>;
