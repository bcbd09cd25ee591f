import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadWorkerConfig, WORKER_SETTING_NAMES } from '../src/config.ts';

const DATABASE_URL = 'postgres://u@localhost/db';

describe('worker configuration', () => {
  it('reads the log from PostgreSQL unless EVENT_STORE says KurrentDB', () => {
    expect(loadWorkerConfig({ DATABASE_URL }).database).not.toHaveProperty('kurrentdb');
    expect(
      loadWorkerConfig({ DATABASE_URL, EVENT_STORE: 'kurrentdb', KURRENTDB_URL: 'kurrentdb+discover://a:2113,b:2113' })
        .database,
    ).toMatchObject({
      kind: 'postgres',
      kurrentdb: { url: 'kurrentdb+discover://a:2113,b:2113', namespace: 'smallsteps' },
    });
  });

  it('refuses KurrentDB settings that do not add up, and PGlite', () => {
    expect(() => loadWorkerConfig({ DATABASE_URL, EVENT_STORE: 'kurrentdb' })).toThrow(
      /KURRENTDB_URL is required when EVENT_STORE is kurrentdb/,
    );
    expect(() => loadWorkerConfig({ DATABASE_URL, KURRENTDB_URL: 'kurrentdb://kdb:2113' })).toThrow(
      /EVENT_STORE must be kurrentdb when KURRENTDB_URL is set/,
    );
    expect(() => loadWorkerConfig({ DATABASE_URL, EVENT_STORE: 'pglite' })).toThrow(/must be postgres or kurrentdb/);
  });

  it('signs audit checkpoints as the API does: every 10,000 events or 60 seconds unless told otherwise', () => {
    expect(loadWorkerConfig({ DATABASE_URL }).auditCheckpoints).toEqual({ everyEvents: 10_000, everySeconds: 60 });
    expect(
      loadWorkerConfig({ DATABASE_URL, AUDIT_CHECKPOINT_EVENTS: '2000', AUDIT_CHECKPOINT_SECONDS: '5' })
        .auditCheckpoints,
    ).toEqual({ everyEvents: 2000, everySeconds: 5 });
    expect(() => loadWorkerConfig({ DATABASE_URL, AUDIT_CHECKPOINT_SECONDS: '-1' })).toThrow(
      /AUDIT_CHECKPOINT_SECONDS/,
    );
  });
});

describe('the operations guide', () => {
  it('lists every setting the worker reads, in its settings table', () => {
    const guide = readFileSync(new URL('../../../docs/operations.md', import.meta.url), 'utf8');
    const listed = new Set([...guide.matchAll(/^\| `([A-Z][A-Z0-9_]+)` /gm)].map((m) => m[1]));
    expect(WORKER_SETTING_NAMES.filter((setting) => !listed.has(setting))).toEqual([]);
  });
});
