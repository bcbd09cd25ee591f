import { accept, type Decision, reject } from '../decision.ts';
import type { LaCodeRegistry } from '../upn/la-code-registry.ts';
import { checkUpn } from '../upn/upn-check.ts';
import type {
  AdmitPupil,
  CorrectPupilDetails,
  ErasePupilData,
  PupilCommand,
  RecordPupilLeftSchool,
  RegisterPupil,
} from './pupil-commands.ts';
import type { PupilDetailsCorrected, PupilEvent } from './pupil-events.ts';
import { byRank, checkSenDetails, type RuleCheck } from './pupil-rules.ts';
import { evolvePupil, initialPupilState, openEnrolmentAt, type Pupil } from './pupil-state.ts';
import type { PupilDetails, PupilPersonal } from './pupil-values.ts';

/** What the pupil rules need beyond the stream: the LA codes a UPN may carry. */
export interface PupilContext {
  laCodes: LaCodeRegistry;
}

type PupilDecision = Decision<PupilEvent>;

const refused = (check: Extract<RuleCheck, { ok: false }>): PupilDecision => reject(check.rule, check.reason);

/**
 * A UPN may carry any recognised LA code, not only the tenant's: it records where the UPN was
 * allocated, and pupils move between LAs keeping theirs.
 */
const canonicalUpn = (upn: string, context: PupilContext): { upn: string } | PupilDecision => {
  const check = checkUpn(upn, context.laCodes);
  if (check.ok) return { upn: check.upn };
  return reject('upn-valid', check.faults.map((f) => f.message).join('; '));
};

const registerPupil = ({ data }: RegisterPupil, state: Pupil, context: PupilContext): PupilDecision => {
  if (state.status === 'registered') return reject('pupil-exists', `Pupil ${data.pupilId} is already registered.`);
  const upn = canonicalUpn(data.upn, context);
  if ('outcome' in upn) return upn;
  const sen = checkSenDetails(data);
  if (!sen.ok) return refused(sen);

  const { pupilId, givenName, familyName, dateOfBirth, yearGroup, senProvision, needs, admission } = data;
  const events: PupilEvent[] = [
    {
      type: 'PupilRegistered',
      data: { pupilId, yearGroup, senProvision, needs: byRank(needs) },
      personal: { givenName, familyName, dateOfBirth, upn: upn.upn },
    },
  ];
  if (admission) events.push({ type: 'PupilAdmitted', data: { pupilId, ...admission } });
  return accept(events);
};

const PERSONAL_FIELDS = ['givenName', 'familyName', 'dateOfBirth', 'upn'] as const satisfies (keyof PupilPersonal)[];

const sameNeeds = (a: PupilDetails['needs'], b: PupilDetails['needs']) =>
  JSON.stringify(byRank(a)) === JSON.stringify(byRank(b));

const correctPupilDetails = ({ data }: CorrectPupilDetails, state: Pupil, context: PupilContext): PupilDecision => {
  if (state.status !== 'registered') return reject('pupil-not-registered', `Pupil ${data.pupilId} is not registered.`);
  if (state.erased.includes('records')) {
    return reject(
      'records-erased',
      `The records of pupil ${data.pupilId} were erased: there is nothing left to correct.`,
    );
  }
  const reason = data.reason.trim();
  if (reason === '') return reject('correction-needs-reason', 'Say why the recorded details were wrong.');

  const changes = { ...data.changes };
  if (changes.upn !== undefined) {
    const upn = canonicalUpn(changes.upn, context);
    if ('outcome' in upn) return upn;
    changes.upn = upn.upn;
  }
  const senProvision = changes.senProvision ?? state.details.senProvision;
  const needs = changes.needs ?? state.details.needs;
  const sen = checkSenDetails({ senProvision, needs });
  if (!sen.ok) return refused(sen);

  const corrected: PupilDetailsCorrected = {
    type: 'PupilDetailsCorrected',
    data: { pupilId: state.pupilId },
    personal: { reason },
  };
  for (const field of PERSONAL_FIELDS) {
    const value = changes[field];
    if (value !== undefined && value !== state.personal[field]) corrected.personal[field] = value;
  }
  if (changes.yearGroup !== undefined && changes.yearGroup !== state.details.yearGroup) {
    corrected.data.yearGroup = changes.yearGroup;
  }
  if (changes.senProvision !== undefined && changes.senProvision !== state.details.senProvision) {
    corrected.data.senProvision = changes.senProvision;
  }
  if (changes.needs !== undefined && !sameNeeds(changes.needs, state.details.needs)) {
    corrected.data.needs = byRank(changes.needs);
  }
  const changedSomething = Object.keys(corrected.data).length > 1 || Object.keys(corrected.personal).length > 1;
  return accept(changedSomething ? [corrected] : []);
};

/** The refusal of anything more about a pupil whose records were erased. */
const recordsErased = (pupilId: string): PupilDecision =>
  reject('records-erased', `The records of pupil ${pupilId} were erased: nothing more is recorded about them.`);

const admitPupil = ({ data }: AdmitPupil, state: Pupil): PupilDecision => {
  if (state.status !== 'registered') return reject('pupil-not-registered', `Pupil ${data.pupilId} is not registered.`);
  if (state.erased.includes('records')) return recordsErased(data.pupilId);
  const open = openEnrolmentAt(state, data.schoolUrn);
  if (open?.admissionDate === data.admissionDate) return accept([]);
  if (open) {
    return reject(
      'already-on-roll',
      `The pupil has been on the roll of school ${data.schoolUrn} since ${open.admissionDate}.`,
    );
  }
  return accept([{ type: 'PupilAdmitted', data: { ...data, pupilId: state.pupilId } }]);
};

const recordPupilLeftSchool = ({ data }: RecordPupilLeftSchool, state: Pupil): PupilDecision => {
  if (state.status !== 'registered') return reject('pupil-not-registered', `Pupil ${data.pupilId} is not registered.`);
  if (state.erased.includes('records')) return recordsErased(data.pupilId);
  const open = openEnrolmentAt(state, data.schoolUrn);
  if (!open) {
    const alreadyLeft = state.enrolments.some(
      (e) => e.schoolUrn === data.schoolUrn && e.leavingDate === data.leavingDate,
    );
    if (alreadyLeft) return accept([]);
    return reject('not-on-roll', `The pupil is not on the roll of school ${data.schoolUrn}.`);
  }
  if (data.leavingDate < open.admissionDate) {
    return reject(
      'leaving-after-admission',
      `The leaving date ${data.leavingDate} is before the admission on ${open.admissionDate}.`,
    );
  }
  return accept([{ type: 'PupilLeftSchool', data: { ...data, pupilId: state.pupilId } }]);
};

const erasePupilData = ({ data }: ErasePupilData, state: Pupil): PupilDecision => {
  if (state.status !== 'registered') return reject('pupil-not-registered', `Pupil ${data.pupilId} is not registered.`);
  if (data.reason.trim() === '') return reject('erasure-needs-reason', 'Say why the data is erased.');
  // Erasing again changes nothing: the key is already gone.
  if (state.erased.includes(data.retentionClass)) return accept([]);
  return accept([{ type: 'PupilDataErased', data: { ...data, pupilId: state.pupilId } }]);
};

/** Decides a pupil command against the pupil's stream; refusals name a rule from `PUPIL_RULES`. */
export const decidePupil = (command: PupilCommand, state: Pupil, context: PupilContext): PupilDecision => {
  switch (command.type) {
    case 'RegisterPupil':
      return registerPupil(command, state, context);
    case 'CorrectPupilDetails':
      return correctPupilDetails(command, state, context);
    case 'AdmitPupil':
      return admitPupil(command, state);
    case 'RecordPupilLeftSchool':
      return recordPupilLeftSchool(command, state);
    case 'ErasePupilData':
      return erasePupilData(command, state);
    default: {
      const unknown: never = command;
      throw new TypeError(`Unknown pupil command ${JSON.stringify(unknown)}`);
    }
  }
};

/** The pupil aggregate's three functions, in the shape the command runner takes. */
export const pupilDecider = {
  initialState: initialPupilState,
  evolve: evolvePupil,
  decide: decidePupil,
};
