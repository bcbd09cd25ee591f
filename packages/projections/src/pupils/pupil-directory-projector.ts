import type { PupilView } from '@small-steps/domain';
import type { Kysely } from 'kysely';
import type { PupilDirectorySchema } from './pupil-directory-table.ts';

export interface PupilDirectoryRow {
  tenant: string;
  view: PupilView;
  version: number;
  /** Position and time of the registration event, kept from the first write. */
  registeredPosition: bigint;
  registeredAt: Date;
}

/** Writes a pupil's directory row from the pupil's state after an append (inline projection). */
export async function writePupilDirectoryRow(db: Kysely<PupilDirectorySchema>, row: PupilDirectoryRow): Promise<void> {
  const { view } = row;
  const { upn, ...personal } = view.personal;
  const values = {
    tenant: row.tenant,
    school_urn: view.schoolUrn ?? '',
    upn,
    year_group: view.yearGroup,
    sen_provision: view.senProvision,
    needs: JSON.stringify(view.needs),
    enrolments: JSON.stringify(view.enrolments),
    on_roll_at: JSON.stringify(view.onRollAt),
    personal: JSON.stringify(personal),
    version: row.version,
    updated_at: new Date(),
  };
  await db
    .insertInto('pupil_directory')
    .values({
      pupil_id: view.pupilId,
      ...values,
      registered_position: row.registeredPosition,
      registered_at: row.registeredAt,
    })
    .onConflict((oc) => oc.column('pupil_id').doUpdateSet(values))
    .execute();
}
