import { z } from 'zod';
import { isoDate } from '../common/safe-text.ts';
import { itemId, ParentAgreement, PlanOutcome, participants, personalText, TimetableReason } from './plan-fields.ts';
import { commandBody, factV1 } from './plan-schema-builders.ts';

const reason = personalText('reason', 4000);
const summary = personalText('summary', 8000);

const pauseExample = { reason: 'In hospital for two weeks.' };
export const PlanPausedV1 = factV1('PlanPaused', { reason }, pauseExample);
export const PausePlanBody = commandBody('PausePlanBody', { reason }, pauseExample);
const resumeExample = { reason: 'Back home and well.' };
export const PlanResumedV1 = factV1('PlanResumed', { reason }, resumeExample);
export const ResumePlanBody = commandBody('ResumePlanBody', { reason }, resumeExample);

const pupilWords = personalText('pupilWords', 2000).nullable();
const achievedExample = { pupilWords: 'I like being back with my friends.' };
export const GoalAchievedV1 = factV1(
  'GoalAchieved',
  { goalId: itemId, pupilWords },
  {
    goalId: 'goal-class',
    ...achievedExample,
  },
);
export const RecordGoalAchievedBody = commandBody(
  'RecordGoalAchievedBody',
  { pupilWords: pupilWords.default(null) },
  achievedExample,
);

const closure = {
  outcome: PlanOutcome,
  summary,
  followUpOn: isoDate.nullable().meta({ description: 'When to ask how the pupil is doing.' }),
};
const closureExample = {
  outcome: 'returned_full_time',
  summary: 'Fully integrated into mainstream lessons with peers.',
  followUpOn: '2027-03-19',
};
export const PlanClosedV1 = factV1('PlanClosed', closure, closureExample);
export const ClosePlanBody = commandBody(
  'ClosePlanBody',
  { ...closure, followUpOn: closure.followUpOn.default(null) },
  closureExample,
);

const followUpExample = { summary: 'Attends full time and uses self-regulation strategies independently.' };
export const FollowUpRecordedV1 = factV1('FollowUpRecorded', { summary }, followUpExample);
export const RecordFollowUpBody = commandBody('RecordFollowUpBody', { summary }, followUpExample);

const hoursPerWeek = z
  .array(z.number().min(0).max(40))
  .min(1)
  .max(52)
  .meta({ description: 'Hours in school for each week: a step-up schedule.' });
const extensionReason = personalText('extensionReason', 4000)
  .nullable()
  .meta({ description: 'Why an agreement in force is extended: an extension is a new agreement.' });
const timetableExample = {
  startsOn: '2026-09-14',
  endsOn: '2026-11-06',
  reason: 'reintegration',
  hoursPerWeek: [10, 12.5, 15, 17.5, 20, 22.5, 25, 27.5],
  participants: [
    { id: 'person-pupil', role: 'pupil' },
    { id: 'person-parent', role: 'parent_carer', name: 'Ms Reid' },
    { id: 'person-senco', role: 'senco', name: 'Mrs Okafor' },
  ],
  parentAgreement: { parentId: 'person-parent', agreedOn: '2026-09-11' },
  extensionReason: null,
};
export const PartTimeTimetableAgreedV1 = factV1(
  'PartTimeTimetableAgreed',
  {
    startsOn: isoDate,
    endsOn: isoDate,
    reason: TimetableReason,
    hoursPerWeek,
    participants,
    parentAgreement: ParentAgreement,
    extensionReason,
    reviewDueBy: isoDate,
  },
  { ...timetableExample, reviewDueBy: '2026-09-28' },
);
export const AgreePartTimeTimetableBody = commandBody(
  'AgreePartTimeTimetableBody',
  {
    startsOn: isoDate,
    endsOn: isoDate.nullable().meta({ description: 'Required: a part-time timetable is time-limited (8 weeks).' }),
    reason: personalText('reason', 200).meta({
      description:
        '`reintegration` or `medical`; any other reason is refused with `ptt-not-for-behaviour`, as the law allows no other.',
    }),
    hoursPerWeek,
    participants,
    parentAgreement: ParentAgreement.nullable().meta({ description: "Required: the parent's or carer's agreement." }),
    extensionReason: extensionReason.default(null),
  },
  timetableExample,
);

const endedExample = { reason: 'Full time from Monday.' };
export const PartTimeTimetableEndedV1 = factV1('PartTimeTimetableEnded', { reason: reason.nullable() }, endedExample);
export const EndPartTimeTimetableBody = commandBody(
  'EndPartTimeTimetableBody',
  { reason: reason.nullable().default(null) },
  endedExample,
);
