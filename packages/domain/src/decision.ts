/** The outcome of `decide`: events to append, or a refusal naming the rule that was broken. */
export type Decision<E> =
  | { outcome: 'accepted'; events: E[]; advisories?: Advisory[] }
  | { outcome: 'rejected'; rule: string; reason: string };

/** A warning that does not refuse the command (e.g. `step-too-large`). */
export interface Advisory {
  rule: string;
  detail: string;
}

export const accept = <E>(events: E[], advisories?: Advisory[]): Decision<E> =>
  advisories && advisories.length > 0 ? { outcome: 'accepted', events, advisories } : { outcome: 'accepted', events };

export const reject = <E = never>(rule: string, reason: string): Decision<E> => ({ outcome: 'rejected', rule, reason });
