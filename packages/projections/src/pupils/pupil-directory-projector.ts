import type { PupilView } from '@small-steps/domain';
import { APPENDED_EVENTS } from '@small-steps/event-store';
import { type RawBuilder, sql } from 'kysely';

export interface PupilDirectoryChange {
  tenant: string;
  /** The pupil's view after the append. */
  view: PupilView;
  version: number;
}

/**
 * A pupil's directory row as a write sent with the pupil's append (inline projection). The
 * registration's position and time are kept from the first write. A second pupil with the same UPN
 * in a tenant fails on `pupil_directory_upn_unique`.
 */
export function pupilDirectoryWrite({ tenant, view, version }: PupilDirectoryChange): RawBuilder<unknown> {
  const { upn, ...personal } = view.personal;
  return sql`
    insert into pupil_directory (pupil_id, tenant, school_urn, upn, year_group, sen_provision, needs, enrolments,
      on_roll_at, personal, version, updated_at, registered_position, registered_at)
    select ${view.pupilId}::uuid, ${tenant}::text, ${view.schoolUrn ?? ''}::text, ${upn}::text,
      ${view.yearGroup}::text, ${view.senProvision}::text, ${JSON.stringify(view.needs)}::jsonb,
      ${JSON.stringify(view.enrolments)}::jsonb, ${JSON.stringify(view.onRollAt)}::jsonb,
      ${JSON.stringify(personal)}::jsonb, ${version}::integer, now(), min(position), min(recorded_at)
    from ${sql.table(APPENDED_EVENTS)} having count(*) > 0
    on conflict (pupil_id) do update set school_urn = excluded.school_urn, upn = excluded.upn,
      year_group = excluded.year_group, sen_provision = excluded.sen_provision, needs = excluded.needs,
      enrolments = excluded.enrolments, on_roll_at = excluded.on_roll_at, personal = excluded.personal,
      version = excluded.version, updated_at = excluded.updated_at`;
}
