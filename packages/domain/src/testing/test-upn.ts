import { upnCheckLetter } from '../upn/upn-check-letter.ts';

/**
 * A valid permanent UPN for test pupil `serial` (0 to 999,999) in LA `laCode`: the serial fills the
 * establishment and serial digits, and the check letter is the domain's own.
 */
export function testUpn(serial: number, laCode = '801'): string {
  if (!Number.isInteger(serial) || serial < 0 || serial > 999_999)
    throw new RangeError(`serial ${serial} is out of range`);
  const digits = String(serial).padStart(6, '0');
  const rest = `${laCode}${digits.slice(0, 4)}26${digits.slice(4)}0`;
  return `${upnCheckLetter(`A${rest}`)}${rest}`;
}
