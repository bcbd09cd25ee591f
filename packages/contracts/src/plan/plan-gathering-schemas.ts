import { personal } from '../common/personal.ts';
import { safeText, schoolUrn, uuid } from '../common/safe-text.ts';
import {
  GroundworkArea,
  NamedAdult,
  ParticipantRole,
  personalText,
  personId,
  SettingKind,
  StructuredAssessment,
} from './plan-fields.ts';
import { commandBody, factV1 } from './plan-schema-builders.ts';

const keyAdult = { id: 'person-key-adult', name: 'Ms Patel' };
const presentingConcern = personalText('presentingConcern', 4000);

export const PlanOpenedV1 = factV1(
  'PlanOpened',
  { planId: uuid, pupilId: uuid, schoolUrn, keyAdult: NamedAdult, presentingConcern },
  {
    planId: '0b7e6f0e-3c1e-4c56-9a43-5a0f3f1c2d11',
    pupilId: '5d2c1a4e-8f0b-4d1e-9c7a-2b3e4f5a6b7c',
    schoolUrn: '100001',
    keyAdult,
    presentingConcern: 'Dysregulated in class; 16 days of suspensions last year.',
  },
);
export const OpenPlanBody = commandBody(
  'OpenPlanBody',
  {
    pupilId: uuid.meta({ description: 'A pupil in your records.' }),
    schoolUrn: schoolUrn.optional().meta({
      description: "The plan's school; the pupil must be on its roll. Default: your school, else the pupil's.",
    }),
    keyAdult: NamedAdult,
    presentingConcern: presentingConcern.meta({ description: 'Why a plan is needed.' }),
  },
  {
    pupilId: '5d2c1a4e-8f0b-4d1e-9c7a-2b3e4f5a6b7c',
    schoolUrn: '100001',
    keyAdult,
    presentingConcern: 'Dysregulated in class; 16 days of suspensions last year.',
  },
);

const view = {
  role: ParticipantRole.meta({ description: 'Whose view: the pupil, a parent or carer, staff or a professional.' }),
  participantId: personId.nullable(),
  worries: personalText('worries', 4000),
  whatHelps: personalText('whatHelps', 4000),
  hopes: personalText('hopes', 4000).meta({ description: 'Hopes and preferred future.' }),
  concernsAboutPlan: personalText('concernsAboutPlan', 4000)
    .nullable()
    .meta({ description: 'A worry about the plan itself.' }),
};
const viewExample = {
  role: 'pupil',
  participantId: 'person-pupil',
  worries: 'Not knowing what is happening next.',
  whatHelps: 'It helps when I can have quiet time first.',
  hopes: 'Being back with my friends.',
  concernsAboutPlan: null,
};
export const ViewRecordedV1 = factV1('ViewRecorded', view, viewExample);
export const RecordViewBody = commandBody(
  'RecordViewBody',
  { ...view, participantId: view.participantId.default(null), concernsAboutPlan: view.concernsAboutPlan.default(null) },
  viewExample,
);

const groundwork = {
  summary: personalText('summary', 8000),
  assessment: personal('assessment', StructuredAssessment.nullable()).meta({
    description: 'A structured assessment named by its framework, or null.',
  }),
};
const groundworkExample = {
  summary: 'Avoidance is driven by sensory overload in busy rooms.',
  assessment: { framework: 'ATTEND', fields: { sensory: 'High sensitivity to noise in class.' } },
};
export const GroundworkRecordedV1 = factV1(
  'GroundworkRecorded',
  { area: GroundworkArea, ...groundwork },
  {
    area: 'underpinning_factors',
    ...groundworkExample,
  },
);
export const RecordGroundworkBody = commandBody(
  'RecordGroundworkBody',
  { ...groundwork, assessment: groundwork.assessment.default(null) },
  groundworkExample,
);

const waivedBy = NamedAdult.extend({ role: ParticipantRole });
const waiverExample = {
  reason: 'The family asked to leave the history of past schools aside for now.',
  waivedBy: { id: 'person-senco', name: 'Mrs Okafor', role: 'senco' },
};
const reason = personalText('reason', 4000);
export const GroundworkWaivedV1 = factV1(
  'GroundworkWaived',
  { area: GroundworkArea, reason, waivedBy },
  {
    area: 'shared_narrative',
    ...waiverExample,
  },
);
export const WaiveGroundworkBody = commandBody('WaiveGroundworkBody', { reason, waivedBy }, waiverExample);

export const KeyAdultAssignedV1 = factV1('KeyAdultAssigned', { keyAdult: NamedAdult }, { keyAdult });
export const AssignKeyAdultBody = commandBody('AssignKeyAdultBody', { keyAdult: NamedAdult }, { keyAdult });

const officer = { id: 'officer-17', name: 'Mr Evans' };
export const CaseOfficerAssignedV1 = factV1('CaseOfficerAssigned', { officer: NamedAdult }, { officer });
export const AssignCaseOfficerBody = commandBody('AssignCaseOfficerBody', { officer: NamedAdult }, { officer });

const strategy = { strategy: personalText('strategy', 1000), notes: personalText('notes', 4000).nullable() };
const strategyExample = { strategy: 'Zones of Regulation', notes: 'Practised daily with the key adult.' };
export const CopingStrategyTaughtV1 = factV1('CopingStrategyTaught', strategy, strategyExample);
export const TeachCopingStrategyBody = commandBody(
  'TeachCopingStrategyBody',
  { ...strategy, notes: strategy.notes.default(null) },
  strategyExample,
);

const agency = { agency: safeText(200).meta({ description: 'e.g. CAMHS, educational psychology.' }), reason };
const agencyExample = { agency: 'CAMHS', reason: 'Assessment on the autism pathway.' };
export const ExternalAgencyInvolvedV1 = factV1('ExternalAgencyInvolved', agency, agencyExample);
export const InvolveExternalAgencyBody = commandBody('InvolveExternalAgencyBody', agency, agencyExample);

const settingExample = { urn: '100002', kind: 'alternative_provision' };
export const SettingJoinedV1 = factV1('SettingJoined', { urn: schoolUrn, kind: SettingKind }, settingExample);
export const JoinSettingBody = commandBody('JoinSettingBody', { urn: schoolUrn, kind: SettingKind }, settingExample);
export const SettingLeftV1 = factV1(
  'SettingLeft',
  { urn: schoolUrn, reason: reason.nullable() },
  {
    urn: '100002',
    reason: 'The placement ended as planned.',
  },
);
export const LeaveSettingBody = commandBody(
  'LeaveSettingBody',
  { reason: reason.nullable().default(null) },
  {
    reason: 'The placement ended as planned.',
  },
);
