import type { ColumnType } from 'kysely';

/** The pupil directory: one row per pupil, written in the append's transaction. */
export interface PupilDirectoryTable {
  pupil_id: string;
  tenant: string;
  school_urn: string;
  /** UPN, unique within a tenant: the unique index is how `upn-unique` is kept across streams. */
  upn: string;
  year_group: string;
  sen_provision: string;
  needs: ColumnType<unknown, string, string>;
  enrolments: ColumnType<unknown, string, string>;
  /** Schools whose roll the pupil is on (jsonb array): school staff see these pupils. */
  on_roll_at: ColumnType<string[], string, string>;
  /** Personal fields (names, date of birth): to be encrypted per pupil with the erasure work. */
  personal: ColumnType<Record<string, unknown>, string, string>;
  version: number;
  /** Global position of the registration: the keyset for cursor pagination. */
  registered_position: ColumnType<bigint, bigint | string, never>;
  registered_at: ColumnType<Date, Date | string, never>;
  updated_at: ColumnType<Date, Date | string, Date | string>;
}

export type PupilDirectorySchema = {
  pupil_directory: PupilDirectoryTable;
};
