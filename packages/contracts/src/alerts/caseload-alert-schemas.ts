import { CASELOAD_ALERT_KINDS } from '@small-steps/domain';
import { z } from 'zod';
import { storedList, storedText } from '../common/bounds.ts';
import { PageQuery, page } from '../common/pagination.ts';
import { isoDate, isoDateTime, schoolUrn, uuid } from '../common/safe-text.ts';

export const CaseloadAlertKind = z.enum(CASELOAD_ALERT_KINDS).meta({
  description:
    'What needs attention: review_overdue, no_family_contact, current_step_not_practised, step_stalled, timetable_ending (ending soon or past its end), mastered_step_not_revisited, barrier_blocking, gathering_too_long, attendance_falling, severely_absent.',
});

export const CaseloadAlertQuery = z.strictObject({
  ...PageQuery.shape,
  kind: CaseloadAlertKind.optional(),
  schoolUrn: schoolUrn.optional().meta({ description: 'Only plans this school takes part in.' }),
});

export const CaseloadAlertHistoryQuery = z.strictObject({ planId: uuid });

const alertFields = {
  planId: uuid,
  kind: CaseloadAlertKind,
  reason: storedText().meta({ description: 'Why, in plain words; never a name or free text from the record.' }),
  since: isoDate.meta({ description: 'The day the condition began to hold.' }),
  schoolUrn: schoolUrn.meta({ description: 'The school the plan was opened at.' }),
  raisedAt: isoDateTime.meta({ description: 'When the service raised the alert.' }),
  links: z.strictObject({ plan: storedText().meta({ description: 'The plan: `GET` it for the record.' }) }),
};

const alertExample = {
  planId: '0b7e6f0e-3c1e-4c56-9a43-5a0f3f1c2d01',
  kind: 'review_overdue',
  reason: 'The plan’s review was due on 9 November and none has been held.',
  since: '2026-11-10',
  schoolUrn: '100001',
  raisedAt: '2026-11-10T06:00:00Z',
  links: { plan: '/v1/plans/0b7e6f0e-3c1e-4c56-9a43-5a0f3f1c2d01' },
};

export const CaseloadAlert = z.strictObject(alertFields).meta({ id: 'CaseloadAlert', example: alertExample });
export type CaseloadAlert = z.infer<typeof CaseloadAlert>;

export const CaseloadAlertPage = page(CaseloadAlert, 'CaseloadAlertPage');

export const CaseloadAlertHistoryEntry = z
  .strictObject({
    ...alertFields,
    clearedAt: isoDateTime.nullable().meta({ description: 'When its condition ended; null while it is open.' }),
  })
  .meta({ id: 'CaseloadAlertHistoryEntry' });

export const CaseloadAlertHistory = z.strictObject({ items: storedList(CaseloadAlertHistoryEntry) }).meta({
  id: 'CaseloadAlertHistory',
  example: {
    items: [
      {
        ...alertExample,
        kind: 'no_family_contact',
        reason: 'No contact with the family in 21 days.',
        since: '2026-10-19',
        raisedAt: '2026-10-19T06:00:00Z',
        clearedAt: '2026-10-22T14:30:00Z',
      },
      { ...alertExample, clearedAt: null },
    ],
  },
});
