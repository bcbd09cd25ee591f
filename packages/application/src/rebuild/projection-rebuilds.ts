import type { EventStore, Leases, StoredEvent } from '@small-steps/event-store';
import type { Projection } from '@small-steps/projections';
import type { Kysely, RawBuilder } from 'kysely';
import { isSealed, type PersonalDataVault } from '../personal-data/personal-data-vault.ts';
import {
  type ProjectionKind,
  type RebuildOptions,
  type RebuildReport,
  type RebuildSource,
  rebuildProjection,
} from './rebuild-projection.ts';

/** A rebuild was asked for by a name no projection has. */
export class UnknownProjection extends Error {
  readonly names: readonly string[];

  constructor(name: string, names: readonly string[]) {
    super(`There is no projection "${name}". Projections: ${names.join(', ')}.`);
    this.name = 'UnknownProjection';
    this.names = names;
  }
}

/** A rebuild of the projection is already running, in this process or another. */
export class RebuildInProgress extends Error {
  constructor(name: string) {
    super(`${name} is being rebuilt already: run one rebuild of a projection at a time.`);
    this.name = 'RebuildInProgress';
  }
}

export interface RebuildsDependencies {
  db: Kysely<object>;
  /** The log as the application reads it: personal parts opened. */
  store: EventStore;
  vault: PersonalDataVault | undefined;
  /** Keep two processes from rebuilding one projection at once (both would fill one shadow schema). */
  leases: Leases | undefined;
  /**
   * Fresh instances of the projections, remembering no stream state: a rebuild replays each stream
   * from its start, and must not share a cache with the commands running beside it.
   */
  projections(): { inline: readonly Projection[]; worker: readonly Projection[] };
}

/** Rebuilds the application's read models from the log, by projection name. */
export class ProjectionRebuilds {
  readonly #dependencies: RebuildsDependencies;
  readonly #running = new Set<string>();

  constructor(dependencies: RebuildsDependencies) {
    this.#dependencies = dependencies;
  }

  /** Every projection's name, inline ones first. */
  names(): string[] {
    const { inline, worker } = this.#dependencies.projections();
    return [...inline, ...worker].map((projection) => projection.name);
  }

  /** Rebuilds one projection (see {@link rebuildProjection}); an unknown name is an {@link UnknownProjection}. */
  async rebuild(name: string, options: RebuildOptions = {}): Promise<RebuildReport> {
    const { db, store, vault, leases, projections } = this.#dependencies;
    const { inline, worker } = projections();
    const found: [Projection, ProjectionKind] | undefined = [
      ...inline.map((p) => [p, 'inline'] as [Projection, ProjectionKind]),
      ...worker.map((p) => [p, 'worker'] as [Projection, ProjectionKind]),
    ].find(([projection]) => projection.name === name);
    if (found === undefined) throw new UnknownProjection(name, this.names());
    const source: RebuildSource = {
      db,
      store,
      async open(events, trx) {
        if (vault === undefined) return events;
        const via = async <Row>(statement: RawBuilder<Row>) => (await statement.execute(trx)).rows;
        return Promise.all(
          events.map(
            async (event): Promise<StoredEvent> =>
              isSealed(event.personal)
                ? { ...event, personal: (await vault.open(event.personal, via)) as StoredEvent['personal'] }
                : event,
          ),
        );
      },
    };
    const lease = `rebuild:${name}`;
    if (this.#running.has(name)) throw new RebuildInProgress(name);
    this.#running.add(name);
    try {
      if (leases !== undefined && !(await leases.tryTake(lease))) throw new RebuildInProgress(name);
      try {
        return await rebuildProjection(source, ...found, options);
      } finally {
        await leases?.release(lease);
      }
    } finally {
      this.#running.delete(name);
    }
  }
}
