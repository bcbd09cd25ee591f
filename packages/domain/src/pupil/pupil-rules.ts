import type { PupilDetails, RankedNeed, SenProvision } from './pupil-values.ts';

/**
 * The pupil's rule ids and what each asks, for the problem catalog. A refusal names one of them.
 * UPN uniqueness within a tenant (`upn-unique`) spans streams, so the store keeps it with a unique
 * index written in the append's transaction; no decider can see other pupils.
 */
export const PUPIL_RULES = {
  'pupil-exists': 'A pupil is registered once; this pupil already is.',
  'pupil-not-registered': 'The command is about a pupil who has not been registered.',
  'upn-valid': 'The UPN passes the DfE checks: check letter, LA code, digits and last character.',
  'needs-ranked': 'Each need is listed once, ranked 1, 2, 3… with no gaps or ties; rank 1 is the primary need.',
  'nsa-needs-sen-support': 'NSA (no specialist assessment) is recorded only with SEN support (K), and on its own.',
  'needs-match-provision': 'A pupil with an EHC plan or SEN support has at least one need; one with none has no needs.',
  'correction-needs-reason': 'A correction says why the record was wrong.',
  'already-on-roll': 'The pupil is already on this school’s roll from another admission date.',
  'not-on-roll': 'The pupil is not on this school’s roll, so cannot leave it.',
  'leaving-after-admission': 'A pupil leaves a school on or after the day they were admitted to it.',
  'erasure-needs-reason': 'An erasure says why: a retention period ended, or the decision that ordered it.',
  'records-erased': 'Nothing more is recorded about a pupil whose records were erased.',
} as const;

export type PupilRuleId = keyof typeof PUPIL_RULES;

export type RuleCheck = { ok: true } | { ok: false; rule: PupilRuleId; reason: string };

const OK: RuleCheck = { ok: true };

/** Ranks are contiguous from 1 so that "primary" is always rank 1 and the order has no holes. */
const checkRanked = (needs: readonly RankedNeed[]): RuleCheck => {
  const seen = new Set<string>();
  for (const { need } of needs) {
    if (seen.has(need)) return { ok: false, rule: 'needs-ranked', reason: `${need} is listed more than once.` };
    seen.add(need);
  }
  const ranks = needs.map((n) => n.rank).sort((a, b) => a - b);
  const expected = ranks.map((_, i) => i + 1);
  if (ranks.some((rank, i) => rank !== expected[i])) {
    return {
      ok: false,
      rule: 'needs-ranked',
      reason: `Ranks must be ${expected.join(', ')} (one each, rank 1 the primary need); got ${ranks.join(', ')}.`,
    };
  }
  return OK;
};

const checkNsa = (senProvision: SenProvision, needs: readonly RankedNeed[]): RuleCheck => {
  if (!needs.some((n) => n.need === 'NSA')) return OK;
  if (senProvision !== 'K') {
    return { ok: false, rule: 'nsa-needs-sen-support', reason: `NSA is for SEN support (K), not ${senProvision}.` };
  }
  if (needs.length > 1) {
    return {
      ok: false,
      rule: 'nsa-needs-sen-support',
      reason: 'NSA means the type of need is not yet assessed, so no other need is ranked beside it.',
    };
  }
  return OK;
};

const checkProvision = (senProvision: SenProvision, needs: readonly RankedNeed[]): RuleCheck => {
  if (senProvision === 'N' && needs.length > 0) {
    return { ok: false, rule: 'needs-match-provision', reason: 'A pupil with no SEN provision (N) has no needs.' };
  }
  if (senProvision !== 'N' && needs.length === 0) {
    return {
      ok: false,
      rule: 'needs-match-provision',
      reason: `SEN provision ${senProvision} needs a primary need (use NSA for SEN support without an assessment).`,
    };
  }
  return OK;
};

/** Checks provision and needs together: `needs-ranked`, then `nsa-needs-sen-support`, then `needs-match-provision`. */
export const checkSenDetails = ({ senProvision, needs }: Pick<PupilDetails, 'senProvision' | 'needs'>): RuleCheck => {
  for (const check of [checkRanked(needs), checkNsa(senProvision, needs), checkProvision(senProvision, needs)]) {
    if (!check.ok) return check;
  }
  return OK;
};

/** Needs in rank order, primary first, so equal lists compare equal. */
export const byRank = (needs: readonly RankedNeed[]): RankedNeed[] =>
  [...needs].sort((a, b) => a.rank - b.rank).map(({ need, rank }) => ({ need, rank }));
