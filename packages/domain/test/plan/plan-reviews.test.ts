import { describe, expect, it } from 'vitest';
import { defaultSchoolCalendar } from '../../src/calendar/index.ts';
import { type HoldReview, type PlanCommand, planDecider } from '../../src/plan/index.ts';
import { activeCommands, agreedBy, command, historyOf, people, testContext } from '../../src/testing/index.ts';
import { specification } from '../given-when-then.ts';

const spec = specification(planDecider, testContext());
const given = (commands: PlanCommand[]) => spec.given(...historyOf(commands));

const review = (data: Partial<HoldReview['data']> = {}, on = '2025-09-26') =>
  command(
    'HoldReview',
    {
      attendees: agreedBy,
      pupilViewGathered: false,
      parentConsulted: false,
      pupilVoice: 'It is getting easier.',
      parentVoice: 'Mornings are calmer.',
      progress: 'Step 1 mastered.',
      celebrated: 'A whole morning in school.',
      decisions: 'Start step 2.',
      nextReviewOn: '2025-10-10',
      ...data,
    },
    on,
  );

const timetable = command(
  'AgreePartTimeTimetable',
  {
    startsOn: '2025-09-15',
    endsOn: '2025-11-07',
    reason: 'reintegration',
    hoursPerWeek: [10, 15, 20, 25],
    participants: agreedBy,
    parentAgreement: { parentId: people.parent.id, agreedOn: '2025-09-12' },
    extensionReason: null,
  },
  '2025-09-12',
);

describe('review-hears-pupil', () => {
  it('refuses a review the pupil did not attend and gave no view for', () => {
    given(activeCommands())
      .when(review({ attendees: [people.parent, people.senco] }))
      .thenRejected('review-hears-pupil');
  });

  it('refuses a review no parent or carer attended or was consulted for', () => {
    given(activeCommands())
      .when(review({ attendees: [people.pupil, people.senco] }))
      .thenRejected('review-hears-pupil');
  });

  it("accepts the pupil's view gathered beforehand and a parent consulted by phone", () => {
    given(activeCommands())
      .when(review({ attendees: [people.senco], pupilViewGathered: true, parentConsulted: true }))
      .thenAccepted();
  });

  it('accepts a review the pupil and a parent attended', () => {
    const [held] = given(activeCommands()).when(review()).thenAccepted();
    expect(held).toMatchObject({ type: 'ReviewHeld', data: { occurredOn: '2025-09-26', nextReviewOn: '2025-10-10' } });
  });
});

describe('next-review-due', () => {
  it('refuses a next review more than 6 school weeks ahead', () => {
    given(activeCommands())
      .when(review({ nextReviewOn: '2025-11-17' }, '2025-09-26'))
      .thenRejected('next-review-due');
  });

  it('counts school weeks, so a half term does not use up the interval', () => {
    // 30 school days after Friday 26 September, skipping 27–31 October, is Friday 14 November.
    given(activeCommands())
      .when(review({ nextReviewOn: '2025-11-14' }, '2025-09-26'))
      .thenAccepted();
    // Without term dates every weekday counts: 6 weeks end on Friday 7 November.
    given(activeCommands())
      .when(review({ nextReviewOn: '2025-11-14' }, '2025-09-26'), { calendar: defaultSchoolCalendar() })
      .thenRejected('next-review-due');
  });

  it('refuses a next review on or before this one', () => {
    given(activeCommands())
      .when(review({ nextReviewOn: '2025-09-26' }, '2025-09-26'))
      .thenRejected('next-review-due');
  });

  it('allows at most 2 weeks while a part-time timetable runs', () => {
    given([...activeCommands(), timetable])
      .when(review({ nextReviewOn: '2025-10-13' }, '2025-09-26'))
      .thenRejected('next-review-due');
    given([...activeCommands(), timetable])
      .when(review({ nextReviewOn: '2025-10-10' }, '2025-09-26'))
      .thenAccepted();
  });

  it('allows 6 school weeks again once the timetable has ended', () => {
    const ended = command('EndPartTimeTimetable', { reason: 'Full time.' }, '2025-10-03');
    given([...activeCommands(), timetable, ended])
      .when(review({ nextReviewOn: '2025-11-07' }, '2025-10-03'))
      .thenAccepted();
  });

  it("follows the tenant's policy", () => {
    given(activeCommands())
      .when(review({ nextReviewOn: '2025-10-17' }, '2025-09-26'), {
        policy: { ...testContext().policy, maxReviewIntervalSchoolWeeks: 2 },
      })
      .thenRejected('next-review-due');
  });
});

describe('HoldReview', () => {
  it('is accepted while the plan is paused', () => {
    const paused = command('PausePlan', { reason: 'In hospital.' }, '2025-09-20');
    given([...activeCommands(), paused])
      .when(review())
      .thenAccepted();
  });
});

describe('recording around the steps', () => {
  it('records a family contact, an observation and a celebration with the date they happened', () => {
    const events = [
      command('RecordFamilyContact', { channel: 'phone', by: people.keyAdult, summary: 'Weekly call.' }, '2025-09-19'),
      command(
        'LogObservation',
        { what: 'Tummy ache before maths.', tags: ['somatic', 'lesson'], time: '10:40' },
        '2025-09-19',
      ),
      command('CelebrateAchievement', { what: 'Walked in with a friend.' }, '2025-09-19'),
    ].flatMap((c) => given(activeCommands()).when(c).thenAccepted());
    expect(events.map((e) => [e.type, e.data.occurredOn])).toEqual([
      ['FamilyContactRecorded', '2025-09-19'],
      ['ObservationLogged', '2025-09-19'],
      ['AchievementCelebrated', '2025-09-19'],
    ]);
  });

  it('records that a safeguarding concern was passed on, and nothing of the concern', () => {
    const referral = command('RecordSafeguardingReferral', { referredBy: people.keyAdult }, '2025-09-19');
    given(activeCommands())
      .when(referral)
      .thenEmits([
        { type: 'SafeguardingReferralMade', data: { referredBy: people.keyAdult, occurredOn: '2025-09-19' } },
      ]);
  });
});
