/** National Curriculum year groups, as the school census records them. */
export const NC_YEAR_GROUPS = [
  'N1',
  'N2',
  'R',
  '1',
  '2',
  '3',
  '4',
  '5',
  '6',
  '7',
  '8',
  '9',
  '10',
  '11',
  '12',
  '13',
  '14',
  'X',
] as const;
export type NcYearGroup = (typeof NC_YEAR_GROUPS)[number];

/** SEN provision: `E` EHC plan, `K` SEN support, `N` none. */
export const SEN_PROVISIONS = ['E', 'K', 'N'] as const;
export type SenProvision = (typeof SEN_PROVISIONS)[number];

/** Types of SEN need; `NSA` is SEN support without a specialist assessment of the type of need. */
export const SEN_NEEDS = [
  'SEMH',
  'ASD',
  'SLCN',
  'SPLD',
  'MLD',
  'SLD',
  'PMLD',
  'HI',
  'VI',
  'MSI',
  'PD',
  'OTH',
  'NSA',
] as const;
export type SenNeed = (typeof SEN_NEEDS)[number];

/** A need and its rank: rank 1 is the primary need. */
export interface RankedNeed {
  need: SenNeed;
  rank: number;
}

/** The fields of a pupil that are personal data (docs/domain.md §7): stored apart and erasable. */
/**
 * Retention classes (docs/domain.md §7): register data and SEN and plan records are kept for
 * different periods, so each can be erased on its own.
 */
export const RETENTION_CLASSES = ['records', 'register'] as const;
export type RetentionClass = (typeof RETENTION_CLASSES)[number];

/** What a personal field reads as once it is erased (docs/domain.md §7). */
export const ERASED = '[erased]';

export interface PupilPersonal {
  givenName: string;
  familyName: string;
  /** ISO date, YYYY-MM-DD. */
  dateOfBirth: string;
  /** Canonical form from `checkUpn`. */
  upn: string;
}

/** The fields of a pupil that analytics may read (pseudonymous). */
export interface PupilDetails {
  yearGroup: NcYearGroup;
  senProvision: SenProvision;
  /** Ordered by rank, primary first. */
  needs: RankedNeed[];
}

const includes =
  <T extends string>(values: readonly T[]) =>
  (value: string): value is T =>
    (values as readonly string[]).includes(value);

export const isNcYearGroup = includes(NC_YEAR_GROUPS);
export const isSenProvision = includes(SEN_PROVISIONS);
export const isSenNeed = includes(SEN_NEEDS);
