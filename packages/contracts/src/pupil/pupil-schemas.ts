import { NC_YEAR_GROUPS, RETENTION_CLASSES, SEN_NEEDS, SEN_PROVISIONS } from '@small-steps/domain';
import { z } from 'zod';
import { storedList, storedText, wholeNumber } from '../common/bounds.ts';
import { PageQuery, page, updatedSince } from '../common/pagination.ts';
import { personal } from '../common/personal.ts';
import { isoDate, safeText, schoolUrn, uuid } from '../common/safe-text.ts';

const givenName = personal('givenName', safeText(100)).meta({ description: 'Legal given name.', example: 'Sam' });
const familyName = personal('familyName', safeText(100)).meta({ description: 'Legal family name.', example: 'Taylor' });
const dateOfBirth = personal('dateOfBirth', isoDate).meta({ example: '2017-03-14' });
const upn = personal('upn', z.string().trim().toUpperCase().max(20, { message: 'must be at most 20 characters' })).meta(
  {
    description: 'Unique Pupil Number: 13 characters, checked as the DfE checks it (check letter, LA code, digits).',
    example: 'H801200001001',
  },
);

export const YearGroup = z.enum(NC_YEAR_GROUPS).meta({ description: 'National Curriculum year group.' });
export const SenProvision = z.enum(SEN_PROVISIONS).meta({ description: '`E` EHC plan, `K` SEN support, `N` none.' });
export const RankedNeed = z
  .object({ need: z.enum(SEN_NEEDS), rank: wholeNumber(1).max(SEN_NEEDS.length) })
  .meta({ id: 'RankedNeed', description: 'A SEN need and its rank; rank 1 is the primary need.' });
const needs = z.array(RankedNeed).max(SEN_NEEDS.length);

export const RegisterPupilBody = z
  .object({
    upn,
    givenName,
    familyName,
    dateOfBirth,
    yearGroup: YearGroup,
    senProvision: SenProvision,
    needs,
    schoolUrn: schoolUrn.meta({ description: 'The school whose roll the pupil is on.', example: '100001' }),
    admissionDate: isoDate.meta({
      description: 'Admission to that school: attendance counts from it.',
      example: '2025-09-03',
    }),
  })
  .strict()
  .meta({
    id: 'RegisterPupilBody',
    example: {
      upn: 'H801200001001',
      givenName: 'Sam',
      familyName: 'Taylor',
      dateOfBirth: '2017-03-14',
      yearGroup: '3',
      senProvision: 'E',
      needs: [
        { need: 'SEMH', rank: 1 },
        { need: 'ASD', rank: 2 },
      ],
      schoolUrn: '100001',
      admissionDate: '2025-09-03',
    },
  });

export const CorrectPupilDetailsBody = z
  .object({
    reason: personal('reason', safeText(1000)).meta({ description: 'Why the recorded details were wrong.' }),
    changes: z
      .object({ upn, givenName, familyName, dateOfBirth, yearGroup: YearGroup, senProvision: SenProvision, needs })
      .partial()
      .strict()
      .refine((c) => Object.keys(c).length > 0, { message: 'name at least one field to correct' }),
  })
  .strict()
  .meta({
    id: 'CorrectPupilDetailsBody',
    example: { reason: 'Family name was misspelt at registration.', changes: { familyName: 'Taylor-Reid' } },
  });

export const AdmitPupilBody = z
  .object({ schoolUrn, admissionDate: isoDate })
  .strict()
  .meta({ id: 'AdmitPupilBody', example: { schoolUrn: '100002', admissionDate: '2026-01-05' } });

export const PupilLeftSchoolBody = z
  .object({ schoolUrn, leavingDate: isoDate })
  .strict()
  .meta({ id: 'PupilLeftSchoolBody', example: { schoolUrn: '100001', leavingDate: '2026-07-22' } });

export const ErasePupilDataBody = z
  .object({
    retentionClass: z.enum(RETENTION_CLASSES).meta({
      description:
        "`records` (SEN and plan records: the pupil's details, plans, attempts) or `register` (attendance corrections' reasons).",
    }),
    reason: safeText(500).meta({
      description:
        'Why the data is erased (a retention period ended, or the decision that ordered it). Not personal data.',
    }),
  })
  .strict()
  .meta({
    id: 'ErasePupilDataBody',
    example: { retentionClass: 'records', reason: 'Retention period ended: date of birth plus 31 years.' },
  });

export const Enrolment = z
  .object({ schoolUrn, admissionDate: isoDate, leavingDate: isoDate.nullable() })
  .meta({ id: 'Enrolment' });

export const Pupil = z
  .object({
    pupilId: uuid,
    version: wholeNumber().meta({ description: 'Stream version; also the ETag.' }),
    yearGroup: YearGroup,
    senProvision: SenProvision,
    needs: storedList(RankedNeed),
    primaryNeed: z.enum(SEN_NEEDS).nullable(),
    schoolUrn: schoolUrn.nullable().meta({ description: 'The current school: the latest admission still open.' }),
    onRollAt: storedList(schoolUrn).meta({
      description: 'Every school whose roll the pupil is on (two when dual registered).',
    }),
    enrolments: storedList(Enrolment),
    // What is stored, so no input limits: an erased field reads `[erased]`.
    upn: personal('upn', storedText()).meta({ example: 'H801200001001' }),
    givenName: personal('givenName', storedText()).meta({ example: 'Sam' }),
    familyName: personal('familyName', storedText()).meta({ example: 'Taylor' }),
    dateOfBirth: personal('dateOfBirth', storedText()).meta({
      description: 'YYYY-MM-DD, or `[erased]` once the records are erased.',
      example: '2017-03-14',
    }),
  })
  .meta({
    id: 'Pupil',
    example: {
      pupilId: '3a1f7c2e-9b4d-4e6f-8a1b-2c3d4e5f6a7b',
      version: 2,
      yearGroup: '8',
      senProvision: 'K',
      needs: [{ need: 'SEMH', rank: 1 }],
      primaryNeed: 'SEMH',
      schoolUrn: '100001',
      onRollAt: ['100001'],
      enrolments: [{ schoolUrn: '100001', admissionDate: '2025-09-03', leavingDate: null }],
      upn: 'H801200001001',
      givenName: 'Sam',
      familyName: 'Taylor',
      dateOfBirth: '2013-03-14',
    },
  });
export type Pupil = z.infer<typeof Pupil>;

export const PupilPage = page(Pupil, 'PupilPage');

export const PupilIdParams = z.object({ pupilId: uuid });

export const PupilListQuery = PageQuery.extend({
  schoolUrn: schoolUrn.optional(),
  upn: z
    .string()
    .max(100, { message: 'must be at most 100 characters' })
    .trim()
    .toUpperCase()
    .regex(/^[A-Z0-9]{13}$/, { message: 'must be a 13-character UPN' })
    .optional()
    .meta({ description: 'The pupil with this UPN, if they are in your records (at most one).' }),
  updatedSince,
});
