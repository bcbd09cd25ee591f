import { z } from 'zod';
import { storedId, storedInstant, storedList, storedText } from '../common/bounds.ts';
import { isoDateTime, safeText, uuid } from '../common/safe-text.ts';

/** Longest reason a caller may give for a read (`X-Access-Reason`). */
export const MAX_ACCESS_REASON_LENGTH = 200;

/** The header a person may send with any read of a pupil's record, saying why: it is kept in the access log. */
export const AccessReasonHeaders = z.looseObject({
  'x-access-reason': safeText(MAX_ACCESS_REASON_LENGTH)
    .optional()
    .meta({
      description: `Why you read this record (at most ${MAX_ACCESS_REASON_LENGTH} characters), kept in the access log with the read. Name no one in it: say why, not who.`,
      example: 'Preparing the review meeting on 12 November',
    }),
});

export const AccessLogQuery = z.strictObject({
  pupilId: uuid.optional().meta({ description: 'Only reads of this pupil’s record.' }),
  actor: z.string().min(1).max(200).optional().meta({ description: 'Only reads by this caller (the token’s `sub`).' }),
  from: isoDateTime.optional().meta({ description: 'Only reads at or after this instant.' }),
  to: isoDateTime.optional().meta({ description: 'Only reads before this instant.' }),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z.string().max(512).optional().meta({ description: 'Opaque cursor from `next` of the previous page.' }),
});

const accessRecordExample = {
  at: '2026-11-10T09:14:03.120Z',
  actor: { id: 'officer-17', role: 'la_officer' },
  pupilId: '3a1f7c2e-9b4d-4e6f-8a1b-2c3d4e5f6a7b',
  planId: '0b7e6f0e-3c1e-4c56-9a43-5a0f3f1c2d01',
  route: '/v1/plans/:planId',
  reason: 'Preparing the review meeting on 12 November',
};

export const AccessRecord = z
  .object({
    at: storedInstant().meta({ description: 'When the record was read (ISO 8601).' }),
    actor: z
      .object({ id: storedId(), role: storedId() })
      .meta({ description: 'Who read it: the token’s `sub` and role.' }),
    pupilId: storedId()
      .nullable()
      .meta({ description: 'Whose record was read; null for a page of the change feed or a read of the whole log.' }),
    planId: storedId().nullable().meta({ description: 'The plan read, when it was a plan or its history.' }),
    route: storedId().meta({ description: 'The route read, as its pattern: `/v1/plans/:planId/events`.' }),
    reason: storedText().nullable().meta({ description: 'The `X-Access-Reason` the reader sent, if any.' }),
  })
  .meta({
    id: 'AccessRecord',
    example: accessRecordExample,
  });

export const AccessLogPage = z
  .object({
    items: storedList(AccessRecord).meta({ description: 'Reads in the order they were recorded.' }),
    next: storedText().nullable(),
  })
  .meta({ id: 'AccessLogPage', example: { items: [accessRecordExample], next: null } });
