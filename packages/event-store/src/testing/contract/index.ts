import type { EventStore } from '../../event-store.ts';
import { describeAppendMany } from './append-many.ts';
import { describeAppendManyAtomicity } from './append-many-atomicity.ts';
import { describeAppendManyIdempotency } from './append-many-idempotency.ts';
import { describeConcurrentAppendMany } from './concurrent-append-many.ts';
import { describeConcurrentAppends } from './concurrent-appends.ts';
import { describeUnless, type EventStoreContractFactory } from './context.ts';
import { describeExpectedVersion } from './expected-version.ts';
import { describeIdempotency } from './idempotency.ts';
import { describeInlineWork } from './inline-work.ts';
import { describeReadAll } from './read-all.ts';
import { describeReadAllFilters } from './read-all-filters.ts';
import { describeReadStream } from './read-stream.ts';
import { describeRoundTrip } from './round-trip.ts';
import { describeSecondProcess } from './second-process.ts';
import { describeVerifyStream } from './verify-stream.ts';
import { describeWaiting } from './waiting.ts';

export type { ContractTestStore, EventStoreContractFactory } from './context.ts';

/**
 * Registers the event store contract for the stores `factory` opens: what every adapter must do,
 * through the {@link EventStore} interface alone. Each part opens a fresh store of its own. Parts
 * that need a hook the factory does not offer, or concurrent connections it does not have, are
 * listed as skipped with the reason; so is the whole suite when the factory has a skip reason.
 */
export function describeEventStoreContract(factory: EventStoreContractFactory): void {
  describeUnless(factory.skipReason, `event store contract on ${factory.name}`, () => {
    describeExpectedVersion(factory);
    describeRoundTrip(factory);
    describeIdempotency(factory);
    describeSecondProcess(factory);
    describeReadStream(factory);
    describeReadAll(factory);
    describeReadAllFilters(factory);
    describeVerifyStream(factory);
    describeWaiting(factory);
    describeInlineWork(factory);
    describeAppendMany(factory);
    describeAppendManyAtomicity(factory);
    describeAppendManyIdempotency(factory);
    describeConcurrentAppends(factory);
    describeConcurrentAppendMany(factory);
  });
}
