import { describe, expect, it } from 'vitest';
import { type PlanCommand, planDecider, provisionCatalogue } from '../../src/plan/index.ts';
import { command, historyOf, identifyBarrier, ids, openPlan, people, testContext } from '../../src/testing/index.ts';
import { specification } from '../given-when-then.ts';
import { sampleCommands } from './plan-samples.ts';

const spec = specification(planDecider, testContext());
const given = (commands: PlanCommand[]) => spec.given(...historyOf(commands));

describe('RecordView', () => {
  it('records whose view it is, what worries them and any concern about the plan itself', () => {
    const view = command(
      'RecordView',
      {
        role: 'parent_carer',
        participantId: people.parent.id,
        worries: 'Mornings end in tears.',
        whatHelps: 'A calm start.',
        hopes: 'To enjoy school again.',
        concernsAboutPlan: 'That a return asks him to drop his defences.',
      },
      '2025-09-09',
    );
    given([openPlan()])
      .when(view)
      .thenEmits([{ type: 'ViewRecorded', data: { ...view.data, occurredOn: '2025-09-09' } }]);
  });
});

describe('RecordGroundwork', () => {
  it('keeps a structured assessment under its framework name, with its own fields', () => {
    const assessment = { framework: 'ATTEND', fields: { functionOfAvoidance: 'anxiety', score: 42 } };
    const [recorded] = given([openPlan()])
      .when(command('RecordGroundwork', { area: 'underpinning_factors', summary: 'Sensory overload.', assessment }))
      .thenAccepted();
    expect(recorded).toMatchObject({ data: { area: 'underpinning_factors', assessment } });
  });
});

describe('barriers', () => {
  it('refuses a barrier id already used and an adjustment to an unknown barrier', () => {
    given([openPlan(), identifyBarrier()]).when(identifyBarrier()).thenRejected('duplicate-id');
    given([openPlan()]).when(sampleCommands.PutAdjustmentInPlace).thenRejected('unknown-reference');
    given([openPlan()]).when(sampleCommands.ExcludeSituation).thenRejected('unknown-reference');
  });

  it('records adjustments, then the barrier addressed once', () => {
    given([openPlan(), identifyBarrier()]).when(sampleCommands.PutAdjustmentInPlace).thenAccepted();
    given([openPlan(), identifyBarrier()]).when(sampleCommands.AddressBarrier).thenAccepted();
    given([openPlan(), identifyBarrier(), sampleCommands.AddressBarrier])
      .when(sampleCommands.AddressBarrier)
      .thenEmits([]);
  });

  it('excludes a situation with a reason and a review date, or permanently', () => {
    const exclude = command(
      'ExcludeSituation',
      {
        barrierId: ids.barrier,
        situation: 'Assembly in the hall',
        reason: 'The noise will not lessen.',
        reviewOn: null,
      },
      '2025-09-10',
    );
    given([openPlan(), identifyBarrier()])
      .when(exclude)
      .thenEmits([{ type: 'SituationExcluded', data: { ...exclude.data, occurredOn: '2025-09-10' } }]);
  });
});

describe('provision', () => {
  it('arranges provision from the catalogue and refuses a code it does not list', () => {
    given([openPlan()]).when(sampleCommands.ArrangeProvision).thenAccepted();
    given([openPlan()])
      .when(command('ArrangeProvision', { provisionId: 'provision-2', provision: 'detention', details: null }))
      .thenRejected('unknown-reference');
  });

  it("accepts a tenant's own catalogue entries", () => {
    const catalogue = provisionCatalogue([
      { code: 'forest_school', title: 'Forest school', needs: ['withdrawn_or_isolated'] },
    ]);
    given([openPlan()])
      .when(command('ArrangeProvision', { provisionId: 'provision-2', provision: 'forest_school', details: null }), {
        provisionCatalogue: catalogue,
      })
      .thenAccepted();
  });

  it('refuses a provision id already used, and ends a provision once', () => {
    const arranged = command('ArrangeProvision', {
      provisionId: 'provision-1',
      provision: 'safe_space',
      details: null,
    });
    given([openPlan(), arranged]).when(arranged).thenRejected('duplicate-id');
    given([openPlan(), arranged]).when(sampleCommands.EndProvision).thenAccepted();
    given([openPlan(), arranged, sampleCommands.EndProvision]).when(sampleCommands.EndProvision).thenEmits([]);
    given([openPlan()]).when(sampleCommands.EndProvision).thenRejected('unknown-reference');
  });
});

describe('settings', () => {
  it('adds alternative provision to the plan and lets it leave', () => {
    given([openPlan()]).when(sampleCommands.JoinSetting).thenAccepted();
    given([openPlan(), sampleCommands.JoinSetting]).when(sampleCommands.JoinSetting).thenEmits([]);
    given([openPlan(), sampleCommands.JoinSetting]).when(sampleCommands.LeaveSetting).thenAccepted();
  });

  it('refuses a setting that is not taking part to leave', () => {
    given([openPlan()]).when(sampleCommands.LeaveSetting).thenRejected('unknown-reference');
  });
});

describe('people and agencies', () => {
  it('assigns a key adult and a case officer, teaches a coping strategy and involves an agency', () => {
    const types = [
      sampleCommands.AssignKeyAdult,
      sampleCommands.AssignCaseOfficer,
      sampleCommands.TeachCopingStrategy,
      sampleCommands.InvolveExternalAgency,
    ].flatMap((c) =>
      given([openPlan()])
        .when(c)
        .thenAccepted()
        .map((e) => e.type),
    );
    expect(types).toEqual([
      'KeyAdultAssigned',
      'CaseOfficerAssigned',
      'CopingStrategyTaught',
      'ExternalAgencyInvolved',
    ]);
  });
});
