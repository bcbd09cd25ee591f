import { describe, expect, it } from 'vitest';
import { acceptedIn, oneOpenPlan, type PlanCommand, type PlanCommandType, planDecider } from '../../src/plan/index.ts';
import { activeCommands, agreeGoal, command, historyOf, openPlan, testContext } from '../../src/testing/index.ts';
import { specification } from '../given-when-then.ts';
import { historiesByStatus, sampleCommands } from './plan-samples.ts';

const spec = specification(planDecider, testContext());
const given = (commands: PlanCommand[]) => spec.given(...historyOf(commands));
const commandTypes = Object.keys(sampleCommands) as PlanCommandType[];
const statuses = Object.keys(historiesByStatus) as (keyof typeof historiesByStatus)[];

describe('plan-status', () => {
  describe.each(statuses)('a plan that is %s', (status) => {
    const history = historyOf(historiesByStatus[status]);
    it.each(commandTypes)('%s follows the status table', (type) => {
      const { decision } = spec.given(...history).when(sampleCommands[type]);
      if (acceptedIn[type].includes(status)) expect(decision).not.toMatchObject({ rule: 'plan-status' });
      else expect(decision).toMatchObject({ outcome: 'rejected', rule: 'plan-status' });
    });
  });

  const accepts = (status: keyof typeof historiesByStatus) =>
    commandTypes.filter((type) => acceptedIn[type].includes(status));

  it('takes no step starts or attempts while paused', () => {
    expect(accepts('paused')).toEqual([
      'RecordView',
      'IdentifyBarrier',
      'PutAdjustmentInPlace',
      'AddressBarrier',
      'ExcludeSituation',
      'HoldReview',
      'RecordFamilyContact',
      'LogObservation',
      'RecordSafeguardingReferral',
      'ResumePlan',
      'ClosePlan',
    ]);
    given([...activeCommands(), sampleCommands.PausePlan])
      .when(sampleCommands.StartStep)
      .thenRejected('plan-status');
  });

  it('takes only a follow-up once closed', () => {
    expect(accepts('closed')).toEqual(['RecordFollowUp']);
  });

  it('takes stage 1, goals, ladders and closing while gathering, and a safeguarding referral always', () => {
    expect(accepts('gathering')).toEqual([
      'RecordView',
      'RecordGroundwork',
      'WaiveGroundwork',
      'IdentifyBarrier',
      'PutAdjustmentInPlace',
      'AddressBarrier',
      'ExcludeSituation',
      'AssignKeyAdult',
      'TeachCopingStrategy',
      'InvolveExternalAgency',
      'ArrangeProvision',
      'EndProvision',
      'JoinSetting',
      'LeaveSetting',
      'AssignCaseOfficer',
      'AgreeGoal',
      'AgreeSteps',
      'RecordSafeguardingReferral',
      'ClosePlan',
    ]);
  });

  it('says why in the words of the status', () => {
    const { decision } = given([...activeCommands(), sampleCommands.PausePlan]).when(sampleCommands.RecordAttempt);
    expect(decision).toMatchObject({ reason: expect.stringMatching(/^The plan is paused/) });
  });
});

describe('one-open-plan', () => {
  it('refuses to open a plan twice in one stream', () => {
    given([openPlan()]).when(openPlan()).thenRejected('plan-status');
  });

  it('gives the store a refusal to report when its unique index finds another open plan', () => {
    expect(oneOpenPlan()).toEqual({ rule: 'one-open-plan', reason: expect.stringMatching(/already has an open plan/) });
  });

  it('opens a plan in an empty stream, with the pupil’s school taking part', () => {
    given([])
      .when(openPlan('2025-09-08'))
      .thenEmits([
        {
          type: 'PlanOpened',
          data: {
            planId: 'plan-0001',
            pupilId: 'pupil-0001',
            schoolUrn: '100001',
            keyAdult: { id: 'person-key-adult', name: 'Ms Key' },
            presentingConcern: 'Has not attended since the spring half term.',
            occurredOn: '2025-09-08',
          },
        },
      ]);
  });
});

describe('the plan lifecycle', () => {
  it('pauses an active plan and resumes it', () => {
    given(activeCommands()).when(sampleCommands.PausePlan).thenAccepted();
    given([...activeCommands(), sampleCommands.PausePlan])
      .when(sampleCommands.ResumePlan)
      .thenAccepted();
    given(activeCommands()).when(sampleCommands.ResumePlan).thenRejected('plan-status');
  });

  it('closes a plan from any open status and records a follow-up after', () => {
    given([openPlan(), agreeGoal()]).when(sampleCommands.ClosePlan).thenAccepted();
    given([...activeCommands(), sampleCommands.ClosePlan])
      .when(command('RecordFollowUp', { summary: 'Attends full time.' }, '2026-03-20'))
      .thenEmits([{ type: 'FollowUpRecorded', data: { summary: 'Attends full time.', occurredOn: '2026-03-20' } }]);
  });

  it('dates a fact today in England unless told otherwise', () => {
    const late = { ...openPlan(), metadata: { ...openPlan().metadata, now: '2025-09-07T23:30:00Z' } };
    const [opened] = given([]).when(late).thenAccepted();
    expect(opened?.data.occurredOn).toBe('2025-09-08');
  });

  it('records a goal achieved once', () => {
    given(activeCommands()).when(sampleCommands.RecordGoalAchieved).thenAccepted();
    given([...activeCommands(), sampleCommands.RecordGoalAchieved])
      .when(sampleCommands.RecordGoalAchieved)
      .thenEmits([]);
    given(activeCommands())
      .when(command('RecordGoalAchieved', { goalId: 'goal-x', pupilWords: null }))
      .thenRejected('unknown-reference');
  });
});
