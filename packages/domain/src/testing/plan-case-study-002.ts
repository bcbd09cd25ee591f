import type { PlanCommand } from '../plan/plan-commands.ts';
import { groundworkAreas } from '../plan/plan-values.ts';
import { agreedBy, command, ids, people, recordAttempt, step } from './plan-fixtures.ts';

const everyone = [...agreedBy, people.keyAdult];

const review = (on: string, nextReviewOn: string, progress: string) =>
  command(
    'HoldReview',
    {
      attendees: everyone,
      pupilViewGathered: false,
      parentConsulted: false,
      pupilVoice: 'I like knowing what’s happening next.',
      parentVoice: 'We feel included in decisions now, and communication is much better.',
      progress,
      celebrated: null,
      decisions: 'Carry on with the next step.',
      nextReviewOn,
    },
    on,
  );

const attempts = (n: number, days: [string, number, number][]) =>
  days.map(([on, before, after]) => recordAttempt(n, { anxietyBefore: before, anxietyAfter: after, minutes: 60 }, on));

/**
 * Seed 002's case study as a plan: a Year 3 pupil after 16 days of suspensions, an 8-week step-out
 * timetable for reintegration, a pupil-led ladder back into class with a key adult's daily pre- and
 * post-brief, reviews every two weeks with the parent, and a follow-up four months on.
 */
export const caseStudy002 = (): PlanCommand[] => [
  command(
    'OpenPlan',
    {
      planId: ids.plan,
      pupilId: ids.pupil,
      schoolUrn: ids.school,
      keyAdult: { id: people.keyAdult.id, name: 'Ms Key' },
      presentingConcern:
        'Significant dysregulation and 16 days of fixed-term suspensions; at risk of permanent exclusion.',
    },
    '2025-09-08',
  ),
  command(
    'RecordView',
    {
      role: 'pupil',
      participantId: people.pupil.id,
      worries: 'Not knowing what is happening next.',
      whatHelps: 'It helps when I can have quiet time first.',
      hopes: 'I like being back with my friends.',
      concernsAboutPlan: null,
    },
    '2025-09-09',
  ),
  command(
    'RecordView',
    {
      role: 'parent_carer',
      participantId: people.parent.id,
      worries: 'That he will be excluded for good.',
      whatHelps: 'Clear communication and the same adults.',
      hopes: 'That he looks forward to school.',
      concernsAboutPlan: null,
    },
    '2025-09-09',
  ),
  ...groundworkAreas.map((area) =>
    command('RecordGroundwork', { area, summary: `Agreed with the family: ${area}.`, assessment: null }, '2025-09-10'),
  ),
  command(
    'IdentifyBarrier',
    { barrierId: ids.barrier, kind: 'sensory', description: 'Seating near the door is noisy.', situations: ['class'] },
    '2025-09-10',
  ),
  command('TeachCopingStrategy', { strategy: 'Zones of Regulation', notes: null }, '2025-09-10'),
  ...['pre_post_brief', 'visual_timetable', 'movement_or_sensory_breaks'].map((provision, i) =>
    command('ArrangeProvision', { provisionId: `provision-${i + 1}`, provision, details: null }, '2025-09-10'),
  ),
  command(
    'AgreeGoal',
    { goalId: ids.goal, pupilWords: 'Back in class with my friends.', participants: everyone },
    '2025-09-11',
  ),
  command(
    'AgreeSteps',
    {
      goalId: ids.goal,
      participants: everyone,
      steps: [
        step(1, { description: 'Mornings in the resource base with my key adult', predictedAnxiety: 2, minutes: 60 }),
        step(2, {
          description: 'My favourite lesson in class',
          predictedAnxiety: 4,
          minutes: 60,
          dependsOn: [ids.barrier],
        }),
        step(3, { description: 'Morning lessons in class', predictedAnxiety: 5, minutes: 60 }),
        step(4, { description: 'Full days in class with movement breaks', predictedAnxiety: 6, minutes: 60 }),
      ],
    },
    '2025-09-12',
  ),
  command(
    'AgreePartTimeTimetable',
    {
      startsOn: '2025-09-15',
      endsOn: '2025-11-07',
      reason: 'reintegration',
      hoursPerWeek: [10, 12.5, 15, 17.5, 20, 22.5, 25, 27.5],
      participants: everyone,
      parentAgreement: { parentId: people.parent.id, agreedOn: '2025-09-12' },
      extensionReason: null,
    },
    '2025-09-12',
  ),
  command('StartStep', { stepId: ids.step(1) }, '2025-09-15'),
  ...attempts(1, [
    ['2025-09-15', 5, 3],
    ['2025-09-16', 4, 2],
    ['2025-09-17', 3, 1],
  ]),
  command('MasterStep', { stepId: ids.step(1), pupilConfirmed: true, pupilWords: 'Easy now.' }, '2025-09-19'),
  command('RecordFamilyContact', { channel: 'phone', by: people.keyAdult, summary: 'Weekly update.' }, '2025-09-19'),
  review('2025-09-26', '2025-10-10', 'Settled mornings in the resource base.'),
  command(
    'PutAdjustmentInPlace',
    { barrierId: ids.barrier, kind: 'environment_change', description: 'Seating plan changed.' },
    '2025-09-29',
  ),
  command('AddressBarrier', { barrierId: ids.barrier, notes: null }, '2025-09-29'),
  command('StartStep', { stepId: ids.step(2) }, '2025-09-29'),
  ...attempts(2, [
    ['2025-09-29', 6, 4],
    ['2025-09-30', 5, 3],
    ['2025-10-01', 4, 2],
  ]),
  command(
    'LogObservation',
    { what: 'Unsettled after lunch.', tags: ['trigger', 'time_of_day'], time: '13:15' },
    '2025-10-01',
  ),
  command('MasterStep', { stepId: ids.step(2), pupilConfirmed: true, pupilWords: null }, '2025-10-03'),
  command('CelebrateAchievement', { what: 'Stayed for the whole art lesson.' }, '2025-10-03'),
  review('2025-10-10', '2025-10-24', 'Back in his favourite lesson.'),
  command('StartStep', { stepId: ids.step(3) }, '2025-10-13'),
  recordAttempt(3, { anxietyBefore: 6, anxietyAfter: 4, minutes: 70, extendedBy: 'pupil' }, '2025-10-13'),
  ...attempts(3, [
    ['2025-10-14', 5, 3],
    ['2025-10-15', 3, 2],
  ]),
  command('MasterStep', { stepId: ids.step(3), pupilConfirmed: true, pupilWords: null }, '2025-10-17'),
  review('2025-10-24', '2025-11-07', 'Mornings in class.'),
  command('StartStep', { stepId: ids.step(4) }, '2025-11-03'),
  ...attempts(4, [
    ['2025-11-03', 4, 2],
    ['2025-11-04', 3, 1],
  ]),
  command(
    'MasterStep',
    { stepId: ids.step(4), pupilConfirmed: true, pupilWords: 'I like being back with my friends.' },
    '2025-11-07',
  ),
  command('EndPartTimeTimetable', { reason: 'Full time from 10 November.' }, '2025-11-07'),
  review('2025-11-07', '2025-12-05', 'Full days in class.'),
  command('RecordGoalAchieved', { goalId: ids.goal, pupilWords: 'I like being back with my friends.' }, '2025-12-05'),
  review('2025-12-05', '2026-01-16', 'Attends full time with minimal disruption.'),
  command(
    'ClosePlan',
    {
      outcome: 'returned_full_time',
      summary: 'Fully integrated into mainstream lessons with peers.',
      followUpOn: '2026-03-20',
    },
    '2025-12-05',
  ),
  command(
    'RecordFollowUp',
    { summary: 'Attends full time, uses self-regulation strategies independently, daily check-ins continue.' },
    '2026-03-20',
  ),
];
