import { describe, expect, it } from 'vitest';
import {
  type AlertSubject,
  attendanceFalling,
  barrierBlocking,
  caseloadAlertsOf,
  currentStepNotPractised,
  gatheringTooLong,
  masteredStepNotRevisited,
  noFamilyContact,
  reviewOverdue,
  severelyAbsent,
  stepStalled,
  timetableEnding,
  type WeekOfAttendance,
} from '../../src/alerts/index.ts';
import { addDays, type IsoDate } from '../../src/calendar/index.ts';
import { evolvePlan, initialState, type PlanCommand, planPolicy } from '../../src/plan/index.ts';
import {
  activeCommands,
  agreedBy,
  agreeSteps,
  command,
  gatheringCommands,
  historyOf,
  identifyBarrier,
  ids,
  masterStep,
  people,
  recordAttempt,
  startStep,
  step,
  testCalendar,
} from '../../src/testing/index.ts';

const policy = planPolicy().caseloadAlerts;

/** Given the plan these commands make (and the family contact and weeks given), on `today`. */
const given = (commands: PlanCommand[], extra: Omit<AlertSubject, 'plan'> = { lastFamilyContactOn: null }) => {
  const subject: AlertSubject = { ...extra, plan: historyOf(commands).reduce(evolvePlan, initialState()) };
  return { on: (today: IsoDate) => ({ subject, context: { policy, calendar: testCalendar, today } }) };
};
const check =
  (rule: typeof reviewOverdue) =>
  ({ subject, context }: ReturnType<ReturnType<typeof given>['on']>) =>
    rule(subject, context);

const review = (on: IsoDate, nextReviewOn: IsoDate) =>
  command(
    'HoldReview',
    {
      attendees: agreedBy,
      pupilViewGathered: false,
      parentConsulted: false,
      pupilVoice: null,
      parentVoice: null,
      progress: 'Steady.',
      celebrated: null,
      decisions: 'Carry on.',
      nextReviewOn,
    },
    on,
  );

describe('alert-review-overdue', () => {
  const plan = given(activeCommands()).on('2025-09-12').subject.plan;
  const due = plan.status === 'active' ? (plan.reviewDueBy as IsoDate) : '';

  it('does not fire on the day the review is due', () => {
    expect(check(reviewOverdue)(given(activeCommands()).on(due))).toBeNull();
  });

  it('fires the day after, since that day, naming the date', () => {
    const alert = check(reviewOverdue)(given(activeCommands()).on(addDays(due, 1)));
    expect(alert).toEqual({ kind: 'review_overdue', reason: expect.stringContaining(due), since: addDays(due, 1) });
  });

  it('clears once a review is held', () => {
    const held = [...activeCommands(), review(addDays(due, 1), addDays(due, 14))];
    expect(check(reviewOverdue)(given(held).on(addDays(due, 2)))).toBeNull();
  });
});

describe('alert-no-family-contact', () => {
  it('counts from activation: 13 days is quiet, 14 days fires', () => {
    expect(check(noFamilyContact)(given(activeCommands()).on('2025-09-25'))).toBeNull();
    expect(check(noFamilyContact)(given(activeCommands()).on('2025-09-26'))).toMatchObject({
      kind: 'no_family_contact',
      since: '2025-09-26',
    });
  });

  it('clears with a contact recorded, and counts again from it', () => {
    const contacted = { lastFamilyContactOn: '2025-09-24' };
    expect(check(noFamilyContact)(given(activeCommands(), contacted).on('2025-09-26'))).toBeNull();
    expect(check(noFamilyContact)(given(activeCommands(), contacted).on('2025-10-08'))).toMatchObject({
      since: '2025-10-08',
      reason: expect.stringMatching(/14 days \(since 2025-09-24\)/),
    });
  });

  it('never fires while the plan is gathering', () => {
    expect(check(noFamilyContact)(given(gatheringCommands()).on('2025-12-01'))).toBeNull();
  });
});

describe('alert-current-step-not-practised', () => {
  const practised = (on: IsoDate) => [
    ...activeCommands(),
    startStep(1, '2025-10-20'),
    recordAttempt(1, { outcome: 'partly' }, on),
  ];

  it('counts school days, skipping the weekend and the half-term holiday', () => {
    // Wednesday 22 October; half term runs 27–31 October: 23, 24 Oct, 3, 4, 5 Nov.
    expect(check(currentStepNotPractised)(given(practised('2025-10-22')).on('2025-11-04'))).toBeNull();
    expect(check(currentStepNotPractised)(given(practised('2025-10-22')).on('2025-11-05'))).toEqual({
      kind: 'current_step_not_practised',
      reason: 'Step 1 has not been practised for 5 school days (last on 2025-10-22).',
      since: '2025-11-05',
    });
  });

  it('clears with an attempt', () => {
    const again = [...practised('2025-10-22'), recordAttempt(1, { outcome: 'partly' }, '2025-11-05')];
    expect(check(currentStepNotPractised)(given(again).on('2025-11-05'))).toBeNull();
  });
});

describe('alert-step-stalled', () => {
  const attempts = (anxietyAfter: number[], from = 15) =>
    anxietyAfter.map((a, i) => recordAttempt(1, { outcome: 'partly', anxietyAfter: a }, `2025-09-${from + i}`));
  const started = [...activeCommands(), startStep(1, '2025-09-15')];

  it('fires on the sixth attempt without mastery, not the fifth', () => {
    expect(check(stepStalled)(given([...started, ...attempts([5, 4, 3, 4, 3])]).on('2025-09-19'))).toBeNull();
    expect(check(stepStalled)(given([...started, ...attempts([5, 4, 3, 4, 3, 3])]).on('2025-09-20'))).toMatchObject({
      kind: 'step_stalled',
      since: '2025-09-20',
      reason: 'Step 1 is not mastered after 6 attempts.',
    });
  });

  it('fires after four school weeks of practice', () => {
    expect(check(stepStalled)(given(started).on('2025-10-10'))).toBeNull();
    expect(check(stepStalled)(given(started).on('2025-10-13'))).toMatchObject({ since: '2025-10-13' });
  });

  it('fires when anxiety after has not fallen over the last four rated attempts', () => {
    expect(check(stepStalled)(given([...started, ...attempts([5, 4, 3, 2])]).on('2025-09-19'))).toBeNull();
    expect(check(stepStalled)(given([...started, ...attempts([5, 6, 4, 5])]).on('2025-09-19'))).toMatchObject({
      since: '2025-09-18',
      reason: expect.stringContaining('anxiety after has not fallen'),
    });
  });

  it('clears when the step is mastered', () => {
    const mastered = [
      ...started,
      ...attempts([5, 6, 4, 5]),
      recordAttempt(1, { anxietyAfter: 2 }, '2025-09-22'),
      recordAttempt(1, { anxietyAfter: 2 }, '2025-09-23'),
      masterStep(1, '2025-09-23'),
    ];
    expect(check(stepStalled)(given(mastered).on('2025-09-24'))).toBeNull();
  });
});

describe('alert-timetable-ending', () => {
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
  const withTimetable = [...activeCommands(), timetable];

  it('fires seven days before its end, not eight', () => {
    expect(check(timetableEnding)(given(withTimetable).on('2025-10-30'))).toBeNull();
    expect(check(timetableEnding)(given(withTimetable).on('2025-10-31'))).toMatchObject({
      kind: 'timetable_ending',
      since: '2025-10-31',
      reason: expect.stringContaining('in 7 days'),
    });
  });

  it('says so once it is past its end', () => {
    expect(check(timetableEnding)(given(withTimetable).on('2025-11-10'))).toMatchObject({
      since: '2025-11-08',
      reason: expect.stringContaining('has not been ended or extended'),
    });
  });

  it('clears when the timetable is ended', () => {
    const ended = [...withTimetable, command('EndPartTimeTimetable', { reason: 'Back full time.' }, '2025-11-07')];
    expect(check(timetableEnding)(given(ended).on('2025-11-10'))).toBeNull();
  });
});

describe('alert-mastered-step-not-revisited', () => {
  const mastered = [
    ...activeCommands(),
    startStep(1, '2025-09-15'),
    recordAttempt(1, {}, '2025-09-15'),
    recordAttempt(1, {}, '2025-09-15'),
    masterStep(1, '2025-09-15'),
  ];

  it('fires 15 school days after the step was last practised', () => {
    expect(check(masteredStepNotRevisited)(given(mastered).on('2025-10-03'))).toBeNull();
    expect(check(masteredStepNotRevisited)(given(mastered).on('2025-10-06'))).toMatchObject({
      kind: 'mastered_step_not_revisited',
      since: '2025-10-06',
      reason: expect.stringContaining('Mastered step 1'),
    });
  });

  it('clears when it is practised again', () => {
    const practisedAgain = [...mastered, recordAttempt(1, {}, '2025-10-06')];
    expect(check(masteredStepNotRevisited)(given(practisedAgain).on('2025-10-06'))).toBeNull();
  });
});

describe('alert-barrier-blocking', () => {
  const blocked = [
    ...gatheringCommands(),
    identifyBarrier(ids.barrier, '2025-09-11'),
    agreeSteps([step(1, { dependsOn: [ids.barrier] }), step(2)], '2025-09-12'),
  ];

  it('fires when the current step has waited 10 school days on an open barrier', () => {
    expect(check(barrierBlocking)(given(blocked).on('2025-09-25'))).toBeNull();
    expect(check(barrierBlocking)(given(blocked).on('2025-09-26'))).toEqual({
      kind: 'barrier_blocking',
      since: '2025-09-26',
      reason: 'Step 1 has waited 10 school days on a barrier not yet addressed (sensory).',
    });
  });

  it('is not also reported as a step not practised', () => {
    expect(check(currentStepNotPractised)(given(blocked).on('2025-10-20'))).toBeNull();
  });

  it('clears when the barrier is addressed', () => {
    const addressed = [
      ...blocked,
      command('AddressBarrier', { barrierId: ids.barrier, notes: 'Ear defenders work.' }, '2025-09-26'),
    ];
    expect(check(barrierBlocking)(given(addressed).on('2025-09-29'))).toBeNull();
  });
});

describe('alert-gathering-too-long', () => {
  it('fires four school weeks after opening, not a day before', () => {
    expect(check(gatheringTooLong)(given(gatheringCommands()).on('2025-10-03'))).toBeNull();
    expect(check(gatheringTooLong)(given(gatheringCommands()).on('2025-10-06'))).toMatchObject({
      kind: 'gathering_too_long',
      since: '2025-10-06',
    });
  });

  it('clears once steps are agreed', () => {
    expect(check(gatheringTooLong)(given(activeCommands()).on('2025-10-06'))).toBeNull();
  });
});

const weeks = (attended: number[], possible = 10): WeekOfAttendance[] =>
  attended.map((a, i) => ({ weekStart: addDays('2025-09-01', 7 * i), possible, attended: a }));

describe('alert-attendance-falling', () => {
  const on = (attended: number[]) =>
    check(attendanceFalling)(
      given(activeCommands(), { lastFamilyContactOn: null, attendance: weeks(attended) }).on('2025-12-01'),
    );

  it('fires when the last 4 weeks are 10 points below the 4 before', () => {
    expect(on([10, 10, 10, 10, 9, 9, 9, 9])).toEqual({
      kind: 'attendance_falling',
      reason: 'Attendance over the last 4 weeks is 90%, down from 100% over the 4 weeks before.',
      since: '2025-10-20',
    });
  });

  it('does not fire on a drop of under 10 points', () => {
    expect(on([10, 10, 10, 10, 9, 9, 9, 10])).toBeNull();
  });

  it('dates the alert from the first week the drop held', () => {
    expect(on([10, 10, 10, 10, 10, 8, 8, 8, 8, 8])).toMatchObject({ since: '2025-10-20' });
  });

  it('clears when attendance recovers', () => {
    expect(on([10, 10, 10, 10, 9, 9, 9, 9, 10, 10, 10, 10])).toBeNull();
  });
});

describe('alert-severely-absent', () => {
  const on = (attended: number[]) =>
    check(severelyAbsent)(
      given(activeCommands(), { lastFamilyContactOn: null, attendance: weeks(attended) }).on('2025-12-01'),
    );

  it('fires at half the possible sessions missed, since the week it first held', () => {
    expect(on([8, 6, 2])).toBeNull();
    expect(on([8, 6, 2, 0])).toMatchObject({ kind: 'severely_absent', since: '2025-09-22' });
  });

  it('clears when attendance brings the year above half', () => {
    expect(on([8, 6, 2, 0, 10])).toBeNull();
  });
});

describe('caseloadAlertsOf', () => {
  it('lists every alert that holds, none for a closed plan', () => {
    const kinds = caseloadAlertsOf(
      given(gatheringCommands()).on('2025-10-06').subject,
      given([]).on('2025-10-06').context,
    );
    expect(kinds.map((a) => a.kind)).toEqual(['gathering_too_long']);
    const closed = [
      ...gatheringCommands(),
      command('ClosePlan', { outcome: 'other', summary: 'Moved away.', followUpOn: null }, '2025-09-15'),
    ];
    const { subject, context } = given(closed).on('2026-06-01');
    expect(caseloadAlertsOf(subject, context)).toEqual([]);
  });
});
