import {
  AssignCaseOfficerBody,
  AssignKeyAdultBody,
  InvolveExternalAgencyBody,
  JoinSettingBody,
  LeaveSettingBody,
  PlanGroundworkParams,
  PlanIdParams,
  PlanSettingParams,
  RecordGroundworkBody,
  RecordViewBody,
  TeachCopingStrategyBody,
  WaiveGroundworkBody,
} from '@small-steps/contracts';
import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services.ts';
import { commandRegistrar } from './plan-command-route.ts';

/** Stage 1: gather information. Accepted while gathering and active (views also while paused). */
export function gatheringRoutes(app: FastifyInstance, services: Services): void {
  const command = commandRegistrar(app, services);
  command({
    url: '/v1/plans/:planId/views',
    operationId: 'recordView',
    summary: "Record someone's view: worries, what helps, hopes",
    description:
      "Whose view it is (the pupil's is essential), what worries them, what helps, their hopes and any concern about the plan itself. Steps cannot be agreed until the pupil's and a parent's views are recorded.",
    rules: [],
    params: PlanIdParams,
    body: RecordViewBody,
    command: (_, facts) => ({ type: 'RecordView', data: facts }),
  });
  command({
    url: '/v1/plans/:planId/groundwork/:area',
    operationId: 'recordGroundwork',
    summary: 'Record one of the five groundwork areas',
    description:
      'What was understood about one area before planning a return, optionally with a structured assessment named by its framework (such as ATTEND).',
    rules: [],
    params: PlanGroundworkParams,
    body: RecordGroundworkBody,
    command: ({ area }, facts) => ({ type: 'RecordGroundwork', data: { area, ...facts } }),
  });
  command({
    url: '/v1/plans/:planId/groundwork/:area/waiver',
    operationId: 'waiveGroundwork',
    summary: 'Waive a groundwork area, saying why',
    description: 'An area skipped for a stated reason, by a named adult. Kept for audit.',
    rules: [],
    params: PlanGroundworkParams,
    body: WaiveGroundworkBody,
    command: ({ area }, facts) => ({ type: 'WaiveGroundwork', data: { area, ...facts } }),
  });
  command({
    url: '/v1/plans/:planId/key-adult',
    operationId: 'assignKeyAdult',
    summary: 'Assign the key adult',
    description: 'The adult the pupil works with day to day; replaces the key adult named so far.',
    rules: [],
    params: PlanIdParams,
    body: AssignKeyAdultBody,
    command: (_, facts) => ({ type: 'AssignKeyAdult', data: facts }),
  });
  command({
    url: '/v1/plans/:planId/case-officer',
    operationId: 'assignCaseOfficer',
    summary: 'Assign the LA case officer',
    description: 'The LA officer who holds the case; caseload views are per officer.',
    rules: [],
    params: PlanIdParams,
    body: AssignCaseOfficerBody,
    command: (_, facts) => ({ type: 'AssignCaseOfficer', data: facts }),
  });
  command({
    url: '/v1/plans/:planId/coping-strategies',
    operationId: 'recordCopingStrategy',
    summary: 'Record a coping strategy taught',
    description:
      'An anxiety-management technique taught and practised: breathing, Zones of Regulation, ELSA sessions …',
    rules: [],
    params: PlanIdParams,
    body: TeachCopingStrategyBody,
    command: (_, facts) => ({ type: 'TeachCopingStrategy', data: facts }),
  });
  command({
    url: '/v1/plans/:planId/external-agencies',
    operationId: 'recordExternalAgency',
    summary: 'Record that an external agency is involved',
    description: 'Which agency (CAMHS, educational psychology, EWS …) and why.',
    rules: [],
    params: PlanIdParams,
    body: InvolveExternalAgencyBody,
    command: (_, facts) => ({ type: 'InvolveExternalAgency', data: facts }),
  });
  command({
    url: '/v1/plans/:planId/settings',
    operationId: 'addSetting',
    summary: 'Add a participating setting',
    description:
      'Alternative provision or a receiving school joins the plan; its staff can then work on it. Joining twice changes nothing.',
    rules: [],
    params: PlanIdParams,
    body: JoinSettingBody,
    command: (_, facts) => ({ type: 'JoinSetting', data: facts }),
  });
  command({
    url: '/v1/plans/:planId/settings/:urn/leave',
    operationId: 'recordSettingLeaving',
    summary: 'Record that a setting leaves the plan',
    description: 'The setting stops taking part; its staff no longer see the plan. 404 when it is not taking part.',
    rules: [],
    params: PlanSettingParams,
    body: LeaveSettingBody,
    command: ({ urn }, facts) => ({ type: 'LeaveSetting', data: { urn, ...facts } }),
    reference: ({ urn }) => ({ kind: 'setting', id: urn }),
  });
}
