import type { ChainVerification } from '@small-steps/contracts';
import type { Principal } from '@small-steps/domain';
import type { EventStore } from '@small-steps/event-store';
import { planStreamId } from '../plans/plan-fold.ts';
import type { PlanReads } from '../plans/plan-reads.ts';
import { pupilStreamId } from '../pupils/pupil-fold.ts';
import type { PupilReads } from '../pupils/pupil-reads.ts';

/** A stream's head as a signed checkpoint covers it: its length and its last event's hash then. */
export interface SignedHead {
  version: number;
  hash: string;
}

/**
 * Where signed checkpoints come in (issue #14): the latest signed head of a stream, or undefined
 * when no checkpoint covers it yet. Verification compares the stream against it when one is given,
 * as it compares it against the read model's version today, so that deleting a stream's last events
 * is found even when the read model was rewritten with them.
 */
export interface SignedStreamHeads {
  latest(tenant: string, streamId: string): Promise<SignedHead | undefined>;
}

type SeenHead = ChainVerification['comparedWith'][number];
type BrokenLink = Extract<ChainVerification, { ok: false }>['brokenAt'];

/**
 * Recomputes a plan's or a pupil's hash chain for an auditor, with the same visibility as reading
 * the record (another LA's is not found), and checks the stream is as long as what saw it last.
 */
export class RecordVerification {
  readonly #store: EventStore;
  readonly #plans: PlanReads;
  readonly #pupils: PupilReads;
  readonly #signedHeads: SignedStreamHeads | undefined;

  constructor(store: EventStore, plans: PlanReads, pupils: PupilReads, signedHeads?: SignedStreamHeads) {
    this.#store = store;
    this.#plans = plans;
    this.#pupils = pupils;
    this.#signedHeads = signedHeads;
  }

  async plan(principal: Principal, planId: string): Promise<ChainVerification | undefined> {
    const seen = await this.#plans.seenVersion(principal, planId);
    return seen === undefined ? undefined : this.#verify(principal.tenant, planStreamId(planId), seen);
  }

  async pupil(principal: Principal, pupilId: string): Promise<ChainVerification | undefined> {
    const seen = await this.#pupils.seenVersion(principal, pupilId);
    return seen === undefined ? undefined : this.#verify(principal.tenant, pupilStreamId(pupilId), seen);
  }

  // What saw the stream is read before the stream, so an append in between never looks like a loss.
  async #verify(tenant: string, streamId: string, readModelVersion: number): Promise<ChainVerification> {
    const signed = await this.#signedHeads?.latest(tenant, streamId);
    const comparedWith: SeenHead[] = [
      { seenBy: 'read-model', version: readModelVersion, hash: null },
      ...(signed ? [{ seenBy: 'signed-checkpoint' as const, version: signed.version, hash: signed.hash }] : []),
    ];
    const chain = await this.#store.verifyStream(streamId);
    if (!chain.ok) {
      const { version, position, expectedHash, storedHash, problem } = chain.firstBroken;
      return {
        ok: false,
        streamId,
        version: chain.eventsChecked,
        comparedWith,
        brokenAt: { version, position: String(position), expectedHash, storedHash, problem },
      };
    }
    for (const head of comparedWith) {
      const brokenAt = await this.#against(streamId, chain.eventsChecked, head);
      if (brokenAt) return { ok: false, streamId, version: chain.eventsChecked, comparedWith, brokenAt };
    }
    return { ok: true, streamId, version: chain.eventsChecked, headHash: chain.lastHash, comparedWith };
  }

  /** The first finding of a whole chain against a head that saw it: too short, or another event at that version. */
  async #against(streamId: string, version: number, head: SeenHead): Promise<BrokenLink | undefined> {
    if (head.version > version) {
      return {
        version: version + 1,
        position: null,
        expectedHash: head.version === version + 1 ? head.hash : null,
        storedHash: null,
        problem: 'events missing after the last stored',
      };
    }
    if (head.hash === null || head.version === 0) return undefined;
    const [event] = await this.#store.readStream(streamId, { fromVersion: head.version, maxCount: 1 });
    const storedHash = event?.hash ?? null;
    if (storedHash === head.hash) return undefined;
    return {
      version: head.version,
      position: event === undefined ? null : String(event.position),
      expectedHash: head.hash,
      storedHash,
      problem: 'checkpoint hash differs',
    };
  }
}
