import { type Kysely, sql } from 'kysely';
import type { Migration } from 'kysely/migration';

export const observationPatternsMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`
      create table observation_patterns (
        plan_id uuid not null,
        tenant text not null,
        dimension text not null,
        value text not null,
        count integer not null,
        constraint observation_patterns_pk primary key (plan_id, dimension, value)
      )`.execute(db);
  },
};

export interface ObservationPatternsTable {
  plan_id: string;
  tenant: string;
  dimension: 'all' | 'tag' | 'weekday' | 'part_of_day';
  value: string;
  count: number;
}

export type ObservationPatternsSchema = { observation_patterns: ObservationPatternsTable };
