import { PUPIL_EVENT_SCHEMA_VERSIONS } from '@small-steps/contracts';
import { type Pupil, type PupilView, pupilView } from '@small-steps/domain';
import type { ReadModelTx, RecordedEvent } from '@small-steps/event-store';
import { sql } from 'kysely';
import { openedReader, type PersonalCipher } from '../personal-cipher.ts';
import { byStream, type Projection } from '../projection.ts';
import type { StreamStates } from '../stream-states.ts';

/** The unique index that keeps `upn-unique` across pupil streams. */
export const UPN_UNIQUE_INDEX = 'pupil_directory_upn_unique';

/** The purpose of the tenant key that hashes UPNs. */
export const UPN_HASH = 'upn';

/**
 * The pupil directory: a row per pupil, what reads and bulk uploads look pupils up in. Inline:
 * written in each pupil append's statement. A second pupil with the same UPN in a tenant fails on
 * {@link UPN_UNIQUE_INDEX}: {@link isUpnTaken} recognises it.
 */
export function pupilDirectoryProjection({
  states,
  cipher,
}: {
  states: StreamStates<Pupil>;
  /** Seals the personal fields under the pupil's key and hashes the UPN under the tenant's. */
  cipher: PersonalCipher;
}): Projection {
  return {
    name: 'pupil_directory',
    handles: new Set(Object.keys(PUPIL_EVENT_SCHEMA_VERSIONS)),
    tables: ['pupil_directory'],
    async apply(events, tx) {
      for (const [streamId, streamEvents] of byStream(events)) {
        const first = streamEvents[0]!;
        const before =
          first.version === 1 ? undefined : await states.load(streamId, first.version - 1, openedReader(tx, cipher));
        const after = states.follow(before, streamEvents);
        const view = pupilView(after.state);
        // Once the records are erased the UPN no longer identifies anyone here: its hash goes too.
        const isErased = after.state.status === 'registered' && after.state.erased.includes('records');
        if (view !== null) await writeRow(tx, cipher, streamEvents, after.ownerTenant, after.version, view, isErased);
        tx.afterCommit(() => states.remember(streamId, after));
      }
    },
  };
}

async function writeRow(
  tx: ReadModelTx,
  cipher: PersonalCipher,
  events: readonly RecordedEvent[],
  tenant: string,
  version: number,
  view: PupilView,
  isErased: boolean,
): Promise<void> {
  const subject = { id: view.pupilId, class: 'records', tenant } as const;
  const upnHash = isErased ? null : await cipher.keyedHash(tenant, UPN_HASH, view.personal.upn, tx);
  const sealed = await cipher.seal(subject, view.personal, tx);
  const registered = events.find((event) => event.type === 'PupilRegistered');
  const updatedAt = events.at(-1)!.recordedAt.toISOString();
  const columns = {
    schoolUrn: view.schoolUrn ?? '',
    needs: JSON.stringify(view.needs),
    enrolments: JSON.stringify(view.enrolments),
    onRollAt: JSON.stringify(view.onRollAt),
    personal: JSON.stringify(sealed),
  };
  if (registered === undefined) {
    await tx.execute(sql`
      update pupil_directory set school_urn = ${columns.schoolUrn}::text, upn_hash = ${upnHash}::text,
        year_group = ${view.yearGroup}::text, sen_provision = ${view.senProvision}::text,
        needs = ${columns.needs}::jsonb, enrolments = ${columns.enrolments}::jsonb,
        on_roll_at = ${columns.onRollAt}::jsonb, personal = ${columns.personal}::jsonb,
        version = ${version}::integer, updated_at = ${updatedAt}::timestamptz
      where pupil_id = ${view.pupilId}::uuid`);
    return;
  }
  await tx.execute(sql`
    insert into pupil_directory (pupil_id, tenant, school_urn, upn_hash, year_group, sen_provision, needs, enrolments,
      on_roll_at, personal, version, updated_at, registered_position, registered_at)
    values (${view.pupilId}::uuid, ${tenant}::text, ${columns.schoolUrn}::text, ${upnHash}::text,
      ${view.yearGroup}::text, ${view.senProvision}::text, ${columns.needs}::jsonb, ${columns.enrolments}::jsonb,
      ${columns.onRollAt}::jsonb, ${columns.personal}::jsonb, ${version}::integer, ${updatedAt}::timestamptz,
      ${tx.positionOf(registered)}, ${registered.recordedAt.toISOString()}::timestamptz)`);
}

/** Whether an error is the unique index refusing a UPN another pupil of the tenant has. */
export const isUpnTaken = (error: unknown): boolean =>
  typeof error === 'object' &&
  error !== null &&
  (error as { code?: string }).code === '23505' &&
  (error as { constraint?: string }).constraint === UPN_UNIQUE_INDEX;
