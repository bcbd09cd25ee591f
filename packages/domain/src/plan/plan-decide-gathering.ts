import { accept } from '../decision.ts';
import type * as C from './plan-commands.ts';
import type { PlanContext } from './plan-context.ts';
import { fact, occurredOn, type PlanDecision, refused } from './plan-decision.ts';
import type { PlanRecord } from './plan-record.ts';
import { duplicateIds, notInCatalogue, unknownReference } from './plan-rules.ts';
import { noStepDependsOn } from './plan-rules-steps.ts';

export const recordView = (c: C.RecordView): PlanDecision =>
  accept([fact('ViewRecorded', { ...c.data, occurredOn: occurredOn(c) })]);

export const recordGroundwork = (c: C.RecordGroundwork): PlanDecision =>
  accept([fact('GroundworkRecorded', { ...c.data, occurredOn: occurredOn(c) })]);

export const waiveGroundwork = (c: C.WaiveGroundwork): PlanDecision =>
  accept([fact('GroundworkWaived', { ...c.data, occurredOn: occurredOn(c) })]);

export function identifyBarrier(c: C.IdentifyBarrier, plan: PlanRecord): PlanDecision {
  const taken = (id: string) => plan.barriers.some((b) => b.barrierId === id);
  const refusal = duplicateIds('barrier', [c.data.barrierId], taken);
  return refusal ? refused(refusal) : accept([fact('BarrierIdentified', { ...c.data, occurredOn: occurredOn(c) })]);
}

export function putAdjustmentInPlace(c: C.PutAdjustmentInPlace, plan: PlanRecord): PlanDecision {
  if (!plan.barriers.some((b) => b.barrierId === c.data.barrierId)) {
    return refused(unknownReference('barrier', c.data.barrierId));
  }
  return accept([fact('AdjustmentPutInPlace', { ...c.data, occurredOn: occurredOn(c) })]);
}

export function addressBarrier(c: C.AddressBarrier, plan: PlanRecord): PlanDecision {
  const barrier = plan.barriers.find((b) => b.barrierId === c.data.barrierId);
  if (barrier === undefined) return refused(unknownReference('barrier', c.data.barrierId));
  if (barrier.status === 'addressed') return accept([]);
  return accept([fact('BarrierAddressed', { ...c.data, occurredOn: occurredOn(c) })]);
}

export function excludeSituation(c: C.ExcludeSituation, plan: PlanRecord): PlanDecision {
  if (!plan.barriers.some((b) => b.barrierId === c.data.barrierId)) {
    return refused(unknownReference('barrier', c.data.barrierId));
  }
  const refusal = noStepDependsOn(plan, c.data.barrierId);
  return refusal ? refused(refusal) : accept([fact('SituationExcluded', { ...c.data, occurredOn: occurredOn(c) })]);
}

export const assignKeyAdult = (c: C.AssignKeyAdult): PlanDecision =>
  accept([fact('KeyAdultAssigned', { ...c.data, occurredOn: occurredOn(c) })]);

export const teachCopingStrategy = (c: C.TeachCopingStrategy): PlanDecision =>
  accept([fact('CopingStrategyTaught', { ...c.data, occurredOn: occurredOn(c) })]);

export const involveExternalAgency = (c: C.InvolveExternalAgency): PlanDecision =>
  accept([fact('ExternalAgencyInvolved', { ...c.data, occurredOn: occurredOn(c) })]);

export function arrangeProvision(c: C.ArrangeProvision, plan: PlanRecord, context: PlanContext): PlanDecision {
  const taken = (id: string) => plan.provisions.some((p) => p.provisionId === id);
  const refusal = duplicateIds('provision', [c.data.provisionId], taken);
  if (refusal) return refused(refusal);
  if (!context.provisionCatalogue.some((entry) => entry.code === c.data.provision)) {
    return refused(notInCatalogue(c.data.provision));
  }
  return accept([fact('ProvisionArranged', { ...c.data, occurredOn: occurredOn(c) })]);
}

export function endProvision(c: C.EndProvision, plan: PlanRecord): PlanDecision {
  const provision = plan.provisions.find((p) => p.provisionId === c.data.provisionId);
  if (provision === undefined) return refused(unknownReference('provision', c.data.provisionId));
  if (provision.endedOn !== null) return accept([]);
  return accept([fact('ProvisionEnded', { ...c.data, occurredOn: occurredOn(c) })]);
}

const isTakingPart = (plan: PlanRecord, urn: string) => plan.settings.some((s) => s.urn === urn && s.leftOn === null);

export const joinSetting = (c: C.JoinSetting, plan: PlanRecord): PlanDecision =>
  isTakingPart(plan, c.data.urn)
    ? accept([])
    : accept([fact('SettingJoined', { ...c.data, occurredOn: occurredOn(c) })]);

export const leaveSetting = (c: C.LeaveSetting, plan: PlanRecord): PlanDecision =>
  isTakingPart(plan, c.data.urn)
    ? accept([fact('SettingLeft', { ...c.data, occurredOn: occurredOn(c) })])
    : refused(unknownReference('participating setting', c.data.urn));

export const assignCaseOfficer = (c: C.AssignCaseOfficer): PlanDecision =>
  accept([fact('CaseOfficerAssigned', { ...c.data, occurredOn: occurredOn(c) })]);
