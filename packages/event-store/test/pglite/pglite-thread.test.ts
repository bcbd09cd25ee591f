import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PGLITE_OPTIONS } from '../../src/pglite/pglite-options.ts';
import { PGliteThread } from '../../src/pglite/pglite-thread.ts';

const root = mkdtempSync(join(tmpdir(), 'ss-pglite-thread-'));
const dataDir = join(root, 'pglite');
afterAll(() => rmSync(root, { recursive: true, force: true }));

// initdb once (seconds in WASM); each test opens the folder again.
beforeAll(async () => {
  const first = new PGliteThread(dataDir);
  await first.waitReady;
  await first.query(`create table pupils (id int primary key, name text not null, born date, photo bytea,
    notes jsonb, events int8)`);
  await first.close();
}, 60_000);

let opened: PGliteThread | undefined;
afterEach(async () => {
  await opened?.close();
  opened = undefined;
});

async function open(): Promise<PGliteThread> {
  opened = new PGliteThread(dataDir);
  await opened.waitReady;
  await opened.query('truncate pupils');
  return opened;
}

const rejection = async (work: Promise<unknown>): Promise<Record<string, unknown>> =>
  work.then(
    () => ({ rejected: false }),
    (error: Error) => ({ ...error, name: error.name, message: error.message }),
  );

describe('PGliteThread', () => {
  it('answers as PGlite in this thread answers: rows, types and errors', async () => {
    const statements: [string, unknown[]][] = [
      [
        'insert into pupils values ($1, $2, $3, $4, $5, $6)',
        [1, 'Ada', '2015-03-01', new Uint8Array([1, 2, 255]), JSON.stringify({ likes: ['art'] }), 9007199254740993n],
      ],
      ['select * from pupils', []],
      ['select count(*), now() > $1 as later, null::text as nothing from pupils', [new Date('2020-01-01')]],
      ['insert into pupils (id, name) values (1, $1)', ['Ada again']],
      ['select nope from pupils', []],
    ];
    const run = async (db: Pick<PGliteThread, 'query'>) => {
      const answers: unknown[] = [];
      for (const [sql, params] of statements) {
        answers.push(
          await db.query(sql, params, { rowMode: 'object' }).then(
            ({ rows, affectedRows }) => ({
              rows: rows.map((row) => ({ ...(row as object), now: undefined })),
              affectedRows,
            }),
            (error: Error & { code?: string; constraint?: string; detail?: string }) => ({
              message: error.message,
              code: error.code,
              constraint: error.constraint,
              detail: error.detail,
            }),
          ),
        );
      }
      return answers;
    };

    const thread = await open();
    const viaThread = await run(thread);
    await thread.close();
    opened = undefined;

    const inProcess = await PGlite.create(dataDir, PGLITE_OPTIONS);
    try {
      await inProcess.query('truncate pupils');
      expect(viaThread).toEqual(await run(inProcess));
    } finally {
      await inProcess.close();
    }
    expect(viaThread[1]).toMatchObject({ rows: [{ events: 9007199254740993n, photo: new Uint8Array([1, 2, 255]) }] });
    expect(viaThread[3]).toMatchObject({ code: '23505', constraint: 'pupils_pkey' });
  }, 60_000);

  it('leaves a failed statement’s parameters behind in this thread', async () => {
    const db = await open();
    const error = await rejection(db.query('select $1::text as name, 1 / 0 as nothing', ['Ada Lovelace']));
    expect(error).toMatchObject({ code: '22012', message: 'division by zero' });
    expect(error).not.toHaveProperty('params');
    expect(JSON.stringify(error)).not.toContain('Ada Lovelace');
  });

  it('commits a transaction, and rolls one back when its work throws or asks to', async () => {
    const db = await open();
    await db.transaction(async (tx) => {
      await tx.query("insert into pupils (id, name) values (1, 'kept')");
    });
    const thrown = await rejection(
      db.transaction(async (tx) => {
        await tx.query("insert into pupils (id, name) values (2, 'thrown')");
        throw new Error('changed my mind');
      }),
    );
    expect(thrown).toMatchObject({ message: 'changed my mind' });
    await db.transaction(async (tx) => {
      await tx.query("insert into pupils (id, name) values (3, 'rolled back')");
      await tx.rollback();
    });
    const broken = await rejection(
      db.transaction(async (tx) => {
        await tx.query("insert into pupils (id, name) values (4, 'broken')");
        await tx.query("insert into pupils (id, name) values (1, 'duplicate')");
      }),
    );
    expect(broken).toMatchObject({ code: '23505' });
    expect((await db.query('select id from pupils order by id')).rows).toEqual([{ id: 1 }]);
  });

  it('holds a statement from outside an open transaction until the transaction ends', async () => {
    const db = await open();
    const order: string[] = [];
    let outside: Promise<unknown> = Promise.resolve();
    await db.transaction(async (tx) => {
      await tx.query("insert into pupils (id, name) values (1, 'inside')");
      outside = db
        .query('select count(*)::int as n from pupils')
        .then(({ rows }) => order.push(`outside saw ${JSON.stringify(rows)}`));
      await new Promise((resolve) => setTimeout(resolve, 50));
      await tx.query("insert into pupils (id, name) values (2, 'inside')");
      order.push('transaction done');
    });
    await outside;
    expect(order).toEqual(['transaction done', 'outside saw [{"n":2}]']);
  });

  it('delivers notifications to each listener until it stops listening', async () => {
    const db = await open();
    const heard: string[] = [];
    const stopFirst = await db.listen('events', (payload) => heard.push(`first ${payload}`));
    const stopSecond = await db.listen('events', (payload) => heard.push(`second ${payload}`));
    await db.query("notify events, 'one'");
    await stopFirst();
    await db.query("notify events, 'two'");
    await stopSecond();
    await db.query("notify events, 'three'");
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(heard).toEqual(['first one', 'second one', 'second two']);
  });

  it('refuses statements once closed, and says why it could not open a folder', async () => {
    const db = await open();
    await db.close();
    opened = undefined;
    expect(db.closed).toBe(true);
    expect(await rejection(db.query('select 1'))).toMatchObject({ message: 'The embedded database is closed.' });

    const file = join(root, 'a-file');
    writeFileSync(file, 'not a folder');
    const broken = new PGliteThread(file);
    expect(await rejection(broken.waitReady)).toMatchObject({ name: 'ErrnoError' });
    expect(broken.closed).toBe(true);
    expect(await rejection(broken.query('select 1'))).toMatchObject({ name: 'ErrnoError' });
    await broken.close();
  });

  it('keeps the process alive while a statement is in flight, and lets an idle one exit', async () => {
    const thread = fileURLToPath(new URL('../../src/pglite/pglite-thread.ts', import.meta.url));
    const script = (work: string) =>
      `import { PGliteThread } from ${JSON.stringify(thread)};
       const db = new PGliteThread(${JSON.stringify(dataDir)});
       await db.waitReady;
       ${work}`;
    const run = (work: string) =>
      promisify(execFile)(process.execPath, ['--input-type=module', '-e', script(work)], { timeout: 60_000 });
    // Nothing else holds the event loop while the statement runs in the thread.
    const waiting = await run(
      "const { rows } = await db.query('select pg_sleep(0.3), 42 as answer'); console.log(rows[0].answer);",
    );
    expect(waiting.stdout.trim()).toBe('42');
    // Opened and queried, never closed: the process ends when its own work does (the folder is
    // left as after a crash, which the next open recovers).
    const idle = await run("await db.query('select 1'); console.log('done');");
    expect(idle.stdout.trim()).toBe('done');
  }, 120_000);
});
