import type { Pupil } from '@small-steps/contracts';
import type { Principal } from '@small-steps/domain';
import { type Kysely, type RawBuilder, type Selectable, sql } from 'kysely';
import type { AccessLog, Reader } from '../access/access-log.ts';
import { decodeCursor, encodeCursor } from '../cursor.ts';
import type { PersonalCipher } from '../personal-cipher.ts';
import { UPN_HASH } from './pupil-directory-projection.ts';
import type { PupilDirectorySchema, PupilDirectoryTable } from './pupil-directory-table.ts';

type Row = Selectable<PupilDirectoryTable>;

/** A pupil as an upload sees one: who, and their times on the roll of the school uploading. */
export interface PupilOnRoll {
  pupilId: string;
  /** The UPN the upload named the pupil by, when it did. */
  upn: string | null;
  /** Enrolments at the school the upload is for, only: a pupil's other schools are not its business. */
  enrolments: Pupil['enrolments'];
}

const toPupil = async (cipher: PersonalCipher, row: Row): Promise<Pupil> => {
  const personal = (await cipher.open(row.personal)) as {
    upn: string;
    givenName: string;
    familyName: string;
    dateOfBirth: string;
  };
  return {
    pupilId: row.pupil_id,
    version: row.version,
    yearGroup: row.year_group as Pupil['yearGroup'],
    senProvision: row.sen_provision as Pupil['senProvision'],
    needs: row.needs as Pupil['needs'],
    primaryNeed: (row.needs as Pupil['needs']).find((n) => n.rank === 1)?.need ?? null,
    schoolUrn: row.school_urn === '' ? null : row.school_urn,
    onRollAt: row.on_roll_at,
    enrolments: row.enrolments as Pupil['enrolments'],
    upn: personal.upn,
    givenName: personal.givenName,
    familyName: personal.familyName,
    dateOfBirth: personal.dateOfBirth,
  };
};

/**
 * Pupils the caller may see: their tenant's, and for school staff only those on their school's roll.
 * Every read of a pupil record goes through here, so that reads can be recorded (docs/domain.md §7).
 */
export class PupilReads {
  readonly #db: Kysely<PupilDirectorySchema>;
  readonly #cipher: PersonalCipher;
  readonly #accessLog: AccessLog;

  constructor(db: Kysely<object>, cipher: PersonalCipher, accessLog: AccessLog) {
    this.#db = db.withTables<PupilDirectorySchema>();
    this.#cipher = cipher;
    this.#accessLog = accessLog;
  }

  /** The pupils read, recorded before they are answered: a read that cannot be recorded fails. */
  async #recorded(reader: Reader, pupils: Pupil[]): Promise<Pupil[]> {
    await this.#accessLog.record(
      reader,
      pupils.map((p) => ({ pupilId: p.pupilId })),
    );
    return pupils;
  }

  private scoped(principal: Principal) {
    let query = this.#db.selectFrom('pupil_directory').selectAll().where('tenant', '=', principal.tenant);
    if (principal.schoolUrn)
      query = query.where(sql<boolean>`on_roll_at @> ${JSON.stringify([principal.schoolUrn])}::jsonb`);
    return query;
  }

  async get(reader: Reader, pupilId: string): Promise<Pupil | undefined> {
    const row = await this.#accessLog.readRecorded(
      reader,
      undefined,
      this.scoped(reader).where('pupil_id', '=', pupilId),
    );
    return row === undefined ? undefined : toPupil(this.#cipher, row);
  }

  /** The pupil's version as the directory holds it (written with each append), when the caller may see the pupil. */
  async seenVersion(principal: Principal, pupilId: string): Promise<number | undefined> {
    const row = await this.scoped(principal)
      .clearSelect()
      .select('version')
      .where('pupil_id', '=', pupilId)
      .executeTakeFirst();
    return row?.version;
  }

  /** The pupil with this UPN (upper case), found by its keyed hash: the directory never holds the UPN itself. */
  async findByUpn(reader: Reader, upn: string): Promise<Pupil | undefined> {
    return (await this.list(reader, { upn, limit: 1 })).items[0];
  }

  /**
   * Pupils by id or by UPN (upper case), with their enrolments at `schoolUrn`: what a bulk upload
   * checks its rows against.
   */
  async findForRoll(
    principal: Principal,
    schoolUrn: string,
    keys: { pupilIds: readonly string[]; upns: readonly string[] },
  ): Promise<PupilOnRoll[]> {
    const atSchool = sql<Pupil['enrolments']>`jsonb_path_query_array(enrolments, '$[*] ? (@.schoolUrn == $urn)',
      jsonb_build_object('urn', ${schoolUrn}::text))`;
    const found = (where: RawBuilder<boolean>) =>
      this.scoped(principal)
        .clearSelect()
        .select(['pupil_id', 'upn_hash', atSchool.as('enrolments')])
        .where(where)
        .execute();
    // A query per kind of key, each probing its index once per distinct value: one query with
    // `pupil_id = any(…) or upn_hash = any(…)` is planned as a scan of the whole directory.
    const distinct = (values: readonly string[]) => [...new Set(values)];
    const upnOf = new Map<string, string>();
    for (const upn of distinct(keys.upns)) {
      upnOf.set(await this.#cipher.keyedHash(principal.tenant, UPN_HASH, upn), upn);
    }
    const [byId, byUpn] = await Promise.all([
      keys.pupilIds.length === 0
        ? []
        : found(sql<boolean>`pupil_id in (select unnest(${distinct(keys.pupilIds)}::uuid[]))`),
      upnOf.size === 0 ? [] : found(sql<boolean>`upn_hash in (select unnest(${[...upnOf.keys()]}::text[]))`),
    ]);
    return [
      ...byId.map((row) => ({ pupilId: row.pupil_id, upn: null, enrolments: row.enrolments })),
      ...byUpn.map((row) => ({
        pupilId: row.pupil_id,
        upn: upnOf.get(row.upn_hash!) ?? null,
        enrolments: row.enrolments,
      })),
    ];
  }

  /** Pupils in registration order (a stable order, so paging never skips one), filtered as asked. */
  async list(
    reader: Reader,
    options: { schoolUrn?: string; upn?: string; updatedSince?: Date; limit: number; cursor?: string },
  ) {
    let query = this.scoped(reader)
      .orderBy('registered_position')
      .limit(options.limit + 1);
    if (options.schoolUrn)
      query = query.where(sql<boolean>`on_roll_at @> ${JSON.stringify([options.schoolUrn])}::jsonb`);
    if (options.upn !== undefined) {
      // By the UPN's keyed hash: the directory never holds a UPN itself.
      query = query.where('upn_hash', '=', await this.#cipher.keyedHash(reader.tenant, UPN_HASH, options.upn));
    }
    if (options.updatedSince) query = query.where('updated_at', '>=', options.updatedSince);
    if (options.cursor) query = query.where('registered_position', '>', BigInt(decodeCursor(options.cursor, 'p')));
    const rows = await query.execute();
    const items = await this.#recorded(
      reader,
      await Promise.all(rows.slice(0, options.limit).map((row) => toPupil(this.#cipher, row))),
    );
    const last = rows.length > options.limit ? rows[options.limit - 1] : undefined;
    return { items, next: last ? encodeCursor('p', last.registered_position) : null };
  }
}
