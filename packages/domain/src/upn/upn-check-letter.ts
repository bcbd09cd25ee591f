/** The check-letter alphabet: 23 letters, no I, O or S; a letter's value is its index (docs/domain.md §6). */
export const UPN_CHECK_ALPHABET = 'ABCDEFGHJKLMNPQRTUVWXYZ';

const DIGIT = /^\d$/;

/** The value of character 13: a digit for a permanent UPN, an alphabet letter for a temporary one. */
export const upnLastCharacterValue = (character: string): number | undefined => {
  if (DIGIT.test(character)) return Number(character);
  const value = UPN_CHECK_ALPHABET.indexOf(character);
  return character.length === 1 && value >= 0 ? value : undefined;
};

/**
 * The check letter that characters 2–13 of `upn` call for: each multiplied by its position's
 * weight (2–13), summed, mod 23, mapped through the alphabet. `undefined` when characters 2–12
 * are not all digits or character 13 has no value, so no letter can be right.
 */
export const upnCheckLetter = (upn: string): string | undefined => {
  if (upn.length !== 13) return undefined;
  let sum = 0;
  for (let position = 2; position <= 12; position++) {
    const character = upn.charAt(position - 1);
    if (!DIGIT.test(character)) return undefined;
    sum += Number(character) * position;
  }
  const last = upnLastCharacterValue(upn.charAt(12));
  if (last === undefined) return undefined;
  sum += last * 13;
  return UPN_CHECK_ALPHABET.charAt(sum % 23);
};
