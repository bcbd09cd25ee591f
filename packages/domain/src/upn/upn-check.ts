import type { LaCodeRegistry } from './la-code-registry.ts';
import { UPN_CHECK_ALPHABET, upnCheckLetter, upnLastCharacterValue } from './upn-check-letter.ts';

export type UpnFaultCode =
  | 'wrong-length'
  | 'wrong-check-letter'
  | 'unrecognised-la-code'
  | 'not-all-numeric'
  | 'unrecognised-last-character';

/** One thing wrong with a UPN, worded as the DfE's validation messages word it. */
export interface UpnFault {
  code: UpnFaultCode;
  message: string;
}

export type UpnCheck =
  | { ok: true; upn: string; laCode: string; isTemporary: boolean }
  | { ok: false; faults: UpnFault[] };

const fault = (code: UpnFaultCode): UpnFault => ({ code, message: MESSAGES[code] });

const MESSAGES: Record<UpnFaultCode, string> = {
  'wrong-length': 'UPN invalid (must be 13 characters)',
  'wrong-check-letter': 'UPN invalid (wrong check letter at character 1)',
  'unrecognised-la-code': 'UPN invalid (characters 2-4 not a recognised LA code)',
  'not-all-numeric': 'UPN invalid (characters 5-12 not all numeric)',
  'unrecognised-last-character': 'UPN invalid (character 13 not a recognised value)',
};

const EIGHT_DIGITS = /^\d{8}$/;

/**
 * Checks a Unique Pupil Number (docs/domain.md §6) and lists every fault, in character order. The UPN
 * is trimmed and upper-cased first, and the ok result carries that canonical form: store it, so
 * the per-tenant unique index compares like with like. A wrong length is the only fault reported
 * for a string that is not 13 characters long, since its positions mean nothing.
 */
export const checkUpn = (upn: string, laCodes: LaCodeRegistry): UpnCheck => {
  const candidate = upn.trim().toUpperCase();
  if (candidate.length !== 13) return { ok: false, faults: [fault('wrong-length')] };

  const laCode = candidate.slice(1, 4);
  const last = candidate.charAt(12);
  const faults: UpnFault[] = [];
  const expected = upnCheckLetter(candidate);
  const first = candidate.charAt(0);
  // When the other characters leave no letter computable, only a letter outside the alphabet is surely wrong.
  if (expected === undefined ? !UPN_CHECK_ALPHABET.includes(first) : expected !== first) {
    faults.push(fault('wrong-check-letter'));
  }
  if (!laCodes.has(laCode)) faults.push(fault('unrecognised-la-code'));
  if (!EIGHT_DIGITS.test(candidate.slice(4, 12))) faults.push(fault('not-all-numeric'));
  if (upnLastCharacterValue(last) === undefined) faults.push(fault('unrecognised-last-character'));

  if (faults.length > 0) return { ok: false, faults };
  return { ok: true, upn: candidate, laCode, isTemporary: !/\d/.test(last) };
};
