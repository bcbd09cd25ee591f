import { type Kysely, sql } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * Attempts leave the plan's view row for rows of their own: an attempt is the plan's most frequent
 * fact, and rewriting every attempt so far with each new one made recording an attempt cost more
 * the longer a plan ran. Views written before keep their inline attempts until their next write;
 * their attempts are copied here so reads need only this table.
 */
export const planStepAttemptsMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('plan_step_attempts')
      .addColumn('plan_id', 'uuid', (c) => c.notNull())
      .addColumn('step_id', 'text', (c) => c.notNull())
      // The attempt's place among the step's attempts, from 1.
      .addColumn('number', 'integer', (c) => c.notNull())
      .addColumn('attempt', 'jsonb', (c) => c.notNull())
      .addPrimaryKeyConstraint('plan_step_attempts_pk', ['plan_id', 'step_id', 'number'])
      .execute();
    await sql`
      insert into plan_step_attempts (plan_id, step_id, number, attempt)
      select v.plan_id, step ->> 'stepId', attempt.number::integer, attempt.value
      from plan_views v
        cross join jsonb_array_elements(v.view -> 'goals') goal
        cross join jsonb_array_elements(goal -> 'ladder') step
        cross join jsonb_array_elements(step -> 'attempts') with ordinality attempt(value, number)`.execute(db);
  },
};
