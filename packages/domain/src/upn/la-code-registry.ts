/** One local authority: its 3-digit DfE LA number and name. */
export interface LaCodeEntry {
  code: string;
  name: string;
}

/** The LA codes a deployment recognises, loaded from reference data rather than built in. */
export interface LaCodeRegistry {
  has(code: string): boolean;
  /** The LA's name, or `undefined` for a code the registry does not hold. */
  name(code: string): string | undefined;
  readonly entries: readonly LaCodeEntry[];
}

const LA_CODE = /^\d{3}$/;

/**
 * Builds a registry from a list such as `LA_CODES_ENGLAND`. Throws on a malformed or repeated
 * code: that is broken reference data, which must fail at start-up, not on a pupil's record.
 */
export const createLaCodeRegistry = (entries: readonly LaCodeEntry[]): LaCodeRegistry => {
  const names = new Map<string, string>();
  for (const { code, name } of entries) {
    if (!LA_CODE.test(code)) throw new RangeError(`LA code "${code}" is not 3 digits`);
    if (names.has(code)) throw new RangeError(`LA code ${code} is listed twice`);
    names.set(code, name);
  }
  const frozen = Object.freeze(entries.map((entry) => Object.freeze({ ...entry })));
  return {
    has: (code) => names.has(code),
    name: (code) => names.get(code),
    entries: frozen,
  };
};
