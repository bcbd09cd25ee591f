import type { ColumnType } from 'kysely';

/** The pupil directory: one row per pupil, written in the append's transaction. */
export interface PupilDirectoryTable {
  pupil_id: string;
  tenant: string;
  school_urn: string;
  /**
   * The UPN's keyed hash (HMAC-SHA-256 under the tenant's key), unique within a tenant: the unique
   * index is how `upn-unique` is kept across streams, and lookups by UPN go through it. Null once the
   * pupil's records are erased.
   */
  upn_hash: string | null;
  year_group: string;
  sen_provision: string;
  needs: ColumnType<unknown, string, string>;
  enrolments: ColumnType<unknown, string, string>;
  /** Schools whose roll the pupil is on (jsonb array): school staff see these pupils. */
  on_roll_at: ColumnType<string[], string, string>;
  /** Personal fields (UPN, names, date of birth), sealed under the pupil's records key. */
  personal: ColumnType<unknown, string, string>;
  version: number;
  /** Global position of the registration: the keyset for cursor pagination. */
  registered_position: ColumnType<bigint, bigint | string, never>;
  registered_at: ColumnType<Date, Date | string, never>;
  updated_at: ColumnType<Date, Date | string, Date | string>;
}

export type PupilDirectorySchema = {
  pupil_directory: PupilDirectoryTable;
};
