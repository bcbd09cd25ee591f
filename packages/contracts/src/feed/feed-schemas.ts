import { planEventTypes } from '@small-steps/domain';
import { z } from 'zod';
import { ATTENDANCE_EVENT_SCHEMA_VERSIONS } from '../attendance/attendance-event-schemas.ts';
import { storedId, storedInstant, storedList, storedText, wholeNumber } from '../common/bounds.ts';
import { personal } from '../common/personal.ts';
import { isoDateTime } from '../common/safe-text.ts';
import { PUPIL_EVENT_SCHEMA_VERSIONS } from '../events/pupil-event-codec.ts';

/** What a feed event is about: its stream's kind (`plan-…`, `pupil-…`, `attendance-…`). */
export const FEED_KINDS = ['plan', 'pupil', 'attendance'] as const;
export const FeedKind = z.enum(FEED_KINDS).meta({
  description: 'What the event is about: a plan, a pupil record, or a school’s register for a day.',
});
export type FeedKind = z.infer<typeof FeedKind>;

const KIND_LIST = new RegExp(`^(${FEED_KINDS.join('|')})(,(${FEED_KINDS.join('|')}))*$`);

/** The kinds a `kind` query value names, each once; every kind when it is absent. */
export const feedKindsOf = (kind: string | undefined): FeedKind[] =>
  kind === undefined ? [...FEED_KINDS] : FEED_KINDS.filter((k) => kind.split(',').includes(k));

/** The longest a long-poll may wait, in seconds. */
export const FEED_MAX_WAIT_SECONDS = 30;

export const FeedQuery = z.strictObject({
  after: z.string().max(512).optional().meta({
    description:
      'Opaque cursor: the `next` of the previous page. Absent: from the start of the log (or of `since`). Store it with your own writes, in one transaction, and resume from it.',
    example: 'ZjozOTExNjoxNDc4Mg',
  }),
  limit: z.coerce.number().int().min(1).max(1000).default(100).meta({
    description:
      'Most events per page. An event stored at an older version that reads as several today (an attendance upload of version 1, one per school and day) comes whole, as several items.',
  }),
  wait: z.coerce.number().int().min(0).max(FEED_MAX_WAIT_SECONDS).default(0).meta({
    description:
      'Long-poll: with nothing new after `after`, wait up to this many seconds for new events before answering (possibly with none, and `next` equal to `after`). 0 answers at once.',
    example: 25,
  }),
  kind: z
    .string()
    .max(200, { message: 'must be at most 200 characters' })
    .regex(KIND_LIST, { message: `must be a comma-separated list of ${FEED_KINDS.join(', ')}` })
    .optional()
    .meta({ description: 'Only events of these kinds, comma-separated. Default: all.', example: 'plan,pupil' }),
  since: isoDateTime.optional().meta({
    description:
      'Only events recorded at or after this instant: for a first sync that needs no older history. Send the same filters with every cursor of one sync.',
    example: '2026-09-01T00:00:00Z',
  }),
});

const eventTypes = [
  ...planEventTypes,
  ...(Object.keys(PUPIL_EVENT_SCHEMA_VERSIONS) as (keyof typeof PUPIL_EVENT_SCHEMA_VERSIONS)[]),
  ...(Object.keys(ATTENDANCE_EVENT_SCHEMA_VERSIONS) as (keyof typeof ATTENDANCE_EVENT_SCHEMA_VERSIONS)[]),
] as const;

const feedEventExample = {
  eventId: '6f1d9c2a-4b7e-4f3a-9d1c-2e5b7a8c9d01',
  part: 0,
  type: 'StepAttempted',
  kind: 'plan',
  streamId: 'plan-0b7e6f0e-3c1e-4c56-9a43-5a0f3f1c2d01',
  version: 14,
  schemaVersion: 1,
  recordedAt: '2026-10-14T15:32:07.412Z',
  actor: { id: 'case-system-801', role: 'la_system' },
  data: {
    stepId: 'step-1',
    outcome: 'completed',
    anxietyBefore: 5,
    anxietyAfter: 3,
    minutes: 20,
    extendedBy: null,
    occurredOn: '2026-10-14',
  },
  personal: { supportsUsed: ['Quiet room first'], pupilWords: 'It was OK after the first bit.' },
};

/** One event of the change feed, as the current contract has it (older versions read through their upcasters). */
export const FeedEvent = z
  .object({
    eventId: storedId().meta({ description: 'The stored event’s id (a UUID).' }),
    part: wholeNumber(0).meta({
      description:
        'Which item of the stored event this is: 0, unless an event stored at an older version reads as several today. Deduplicate on `eventId` and `part` together.',
    }),
    type: z.enum(eventTypes),
    kind: FeedKind,
    streamId: storedId().meta({
      description:
        'The record’s stream: `plan-<planId>`, `pupil-<pupilId>`, or `attendance-<LA>-<URN>-<date>` for a school’s register for a day.',
    }),
    version: wholeNumber(1).meta({ description: 'The event’s place in its stream, from 1.' }),
    schemaVersion: wholeNumber().meta({ description: 'The version of the payload’s shape: always the current one.' }),
    recordedAt: storedInstant().meta({ description: 'When the service recorded it (ISO 8601).' }),
    actor: z
      .object({ id: storedId(), role: storedId() })
      .meta({ description: 'Who recorded it: the caller’s id and role.' }),
    data: z.record(storedId(), z.unknown()).meta({ description: 'The payload, less its personal fields.' }),
    personal: personal('personal', z.record(storedId(), z.unknown()))
      .nullable()
      .meta({ description: 'The personal fields, stored apart from `data` and shaped like it.' }),
  })
  .meta({ id: 'FeedEvent', example: feedEventExample });
export type FeedEvent = z.infer<typeof FeedEvent>;

export const FeedPage = z
  .object({
    items: storedList(FeedEvent).meta({ description: 'Events in log order: the order they committed in.' }),
    next: storedText().meta({
      description:
        'Where the next page starts: send it as `after`. Always present; equal to `after` when nothing new came, and past any events you may not see.',
    }),
  })
  .meta({
    id: 'FeedPage',
    example: { items: [feedEventExample], next: 'ZjozOTExNzoxNDc5MA' },
  });
export type FeedPage = z.infer<typeof FeedPage>;
