export { createLaCodeRegistry, type LaCodeEntry, type LaCodeRegistry } from './la-code-registry.ts';
export { LA_CODES_ENGLAND } from './la-codes-england.ts';
export { checkUpn, type UpnCheck, type UpnFault, type UpnFaultCode } from './upn-check.ts';
export { UPN_CHECK_ALPHABET, upnCheckLetter } from './upn-check-letter.ts';
