import { planEventCodec } from '@small-steps/contracts';
import { observationPatternKeys } from '@small-steps/domain';
import { sql } from 'kysely';
import type { Projection } from '../projection.ts';

/** The unique of the patterns table: a plan's count of one value of one dimension. */
interface PatternCount {
  planId: string;
  tenant: string;
  dimension: 'all' | 'tag' | 'weekday' | 'part_of_day';
  value: string;
  count: number;
}

/**
 * Counts of each plan's logged observations by tag, weekday and part of the school day, so a
 * review can see what sets things off and when. Kept from the log by the worker: nobody reads it
 * in the same breath as logging an observation.
 */
export function observationPatternsProjection(): Projection {
  return {
    name: 'observation_patterns',
    handles: new Set(['ObservationLogged']),
    tables: ['observation_patterns'],
    async apply(events, tx) {
      const counts = new Map<string, PatternCount>();
      const add = (planId: string, tenant: string, dimension: PatternCount['dimension'], value: string) => {
        const key = `${planId}|${dimension}|${value}`;
        const known = counts.get(key);
        if (known) known.count++;
        else counts.set(key, { planId, tenant, dimension, value, count: 1 });
      };
      for (const event of events) {
        const planId = event.streamId.slice('plan-'.length);
        const tenant = event.metadata.actor.tenant;
        for (const observation of planEventCodec.decode(event)) {
          if (observation.type !== 'ObservationLogged') continue;
          const keys = observationPatternKeys(observation.data);
          add(planId, tenant, 'all', 'all');
          add(planId, tenant, 'weekday', keys.weekday);
          if (keys.partOfDay !== null) add(planId, tenant, 'part_of_day', keys.partOfDay);
          for (const tag of keys.tags) add(planId, tenant, 'tag', tag);
        }
      }
      if (counts.size === 0) return;
      const rows = [...counts.values()].map(
        (c) => sql`(${c.planId}::uuid, ${c.tenant}::text, ${c.dimension}::text, ${c.value}::text, ${c.count}::integer)`,
      );
      await tx.execute(sql`
        insert into observation_patterns (plan_id, tenant, dimension, value, count)
        values ${sql.join(rows)}
        on conflict (plan_id, dimension, value) do update set count = observation_patterns.count + excluded.count`);
    },
  };
}
