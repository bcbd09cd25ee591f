import {
  type AttendanceEvent,
  attendanceMarksFrom,
  createLaCodeRegistry,
  decideAttendanceMarks,
  decidePupil,
  evolvePupil,
  initialPupilState,
  LA_CODES_ENGLAND,
  type PlanEvent,
  type PupilCommand,
  type PupilEvent,
} from '@small-steps/domain';
import { caseStudy002, historyOf, testUpn } from '@small-steps/domain/testing';
import { planEventSchemas } from '../../src/index.ts';

export const PUPIL = '5d2c1a4e-8f0b-4d1e-9c7a-2b3e4f5a6b7c';
export const OTHER_PUPIL = '9a4f2c3e-1b7d-4e8a-b5c6-d7e8f9a0b1c2';
export const SCHOOL = '100001';
export const OTHER_SCHOOL = '100002';

// Plans and pupils have UUIDs in the service; the domain's fixtures use readable ids.
const uuids = { planId: '0b7e6f0e-3c1e-4c56-9a43-5a0f3f1c2d11', pupilId: PUPIL };

/** Seed 002's case study as the plan decider writes it. */
export const caseStudyEvents = (): PlanEvent[] =>
  historyOf(caseStudy002().map((c) => (c.type === 'OpenPlan' ? { ...c, data: { ...c.data, ...uuids } } : c)));

/** One event of every plan type, from its contract's example: the case study does not reach them all. */
export const everyPlanEventType = (): PlanEvent[] =>
  Object.entries(planEventSchemas).map(
    ([type, schema]) => ({ type, data: structuredClone((schema.meta() as { example: unknown }).example) }) as PlanEvent,
  );

const pupilCommands: PupilCommand[] = [
  {
    type: 'RegisterPupil',
    data: {
      pupilId: PUPIL,
      givenName: 'Alex',
      familyName: 'Example',
      dateOfBirth: '2014-03-02',
      upn: testUpn(1),
      yearGroup: '6',
      senProvision: 'K',
      needs: [
        { need: 'SLCN', rank: 2 },
        { need: 'SEMH', rank: 1 },
      ],
      admission: { schoolUrn: SCHOOL, admissionDate: '2025-09-03' },
    },
  },
  {
    type: 'CorrectPupilDetails',
    data: {
      pupilId: PUPIL,
      reason: 'Family name misspelt on the admission form.',
      changes: { familyName: 'Exemple', yearGroup: '7' },
    },
  },
  { type: 'RecordPupilLeftSchool', data: { pupilId: PUPIL, schoolUrn: SCHOOL, leavingDate: '2025-12-19' } },
  { type: 'AdmitPupil', data: { pupilId: PUPIL, schoolUrn: OTHER_SCHOOL, admissionDate: '2026-01-05' } },
];

/** A pupil registered on a school's roll, a name corrected, and a move to another school. */
export function pupilEvents(): PupilEvent[] {
  const context = { laCodes: createLaCodeRegistry(LA_CODES_ENGLAND) };
  const events: PupilEvent[] = [];
  let state = initialPupilState();
  for (const command of pupilCommands) {
    const decision = decidePupil(command, state, context);
    if (decision.outcome === 'rejected') throw new Error(`${command.type} refused: ${decision.reason}`);
    events.push(...decision.events);
    state = decision.events.reduce(evolvePupil, state);
  }
  return events;
}

/**
 * Two uploads as the attendance decider writes them: a week's first marks for two pupils (one
 * dual-registered at a second school), then a day more and two corrections with their reasons.
 */
export function attendanceEvents(): AttendanceEvent[] {
  const mark = (pupilId: string, schoolUrn: string, date: string, session: 'AM' | 'PM', code: string) => ({
    pupilId,
    schoolUrn,
    date,
    session,
    code,
  });
  const first = decideAttendanceMarks(
    [],
    [
      mark(PUPIL, SCHOOL, '2025-10-13', 'AM', '/'),
      mark(PUPIL, SCHOOL, '2025-10-13', 'PM', '\\'),
      mark(OTHER_PUPIL, SCHOOL, '2025-10-13', 'AM', 'N'),
      mark(PUPIL, SCHOOL, '2025-10-14', 'AM', '/'),
      mark(PUPIL, OTHER_SCHOOL, '2025-10-14', 'PM', 'B'),
    ],
    { now: '2025-10-14T16:00:00Z' },
  );
  const second = decideAttendanceMarks(
    attendanceMarksFrom(first.events),
    [
      { ...mark(OTHER_PUPIL, SCHOOL, '2025-10-13', 'AM', 'I'), reason: 'Parent rang: unwell since the weekend.' },
      mark(PUPIL, SCHOOL, '2025-10-15', 'AM', 'M'),
      { ...mark(PUPIL, SCHOOL, '2025-10-13', 'PM', 'M'), reason: 'Dentist letter arrived.' },
    ],
    { now: '2025-10-15T16:00:00Z' },
  );
  for (const { rows } of [first, second]) {
    const refused = rows.find((row) => row.outcome === 'rejected');
    if (refused) throw new Error(`row ${refused.index} refused: ${JSON.stringify(refused)}`);
  }
  return [...first.events, ...second.events];
}

/** Every string of a value, however deep: to look for free text where it must not be. */
export function leaves(value: unknown): unknown[] {
  if (Array.isArray(value)) return value.flatMap(leaves);
  if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(leaves);
  return [value];
}
