import { execFile } from 'node:child_process';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { migrations, openStorage } from '@small-steps/application';
import type { AuditExport } from '@small-steps/contracts';
import { type NewEvent, treeHeadSigner } from '@small-steps/event-store';
import { TEST_METADATA, type TestStore, testDatabases } from '@small-steps/event-store/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportStream } from '../src/audit/export-stream.ts';
import { verifyExport } from '../src/audit/verify-export.ts';

const newKey = () => generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const signer = treeHeadSigner(newKey(), 'the test key');
const otherSigner = treeHeadSigner(newKey(), 'another key');
const metadata = { ...TEST_METADATA, actor: { id: 'officer-1', role: 'la_officer', tenant: '801' } };

/** A plan's events with a sealed-looking personal part, as the service stores them. */
const planEvents = (count: number, from = 1): NewEvent[] =>
  Array.from({ length: count }, (_, i) => ({
    id: randomUUID(),
    type: 'ObservationLogged',
    schemaVersion: 1,
    data: { n: from + i, tags: ['somatic'] },
    personal: { sealed: true, subject: 'pupil-1', class: 'records', data: `c2VhbGVk${from + i}`, shape: { what: '' } },
    metadata,
  }));

const [pglite] = (await testDatabases()).filter((d) => d.skipReason === null);

describe('an offline export of a plan', () => {
  let test: TestStore;
  let exported: AuditExport;
  const planId = randomUUID();
  beforeAll(async () => {
    test = await pglite!.create({ extraMigrations: migrations });
    await test.store.append(`plan-${planId}`, planEvents(3), { expectedVersion: 'no_stream' });
    await test.store.append(`plan-${randomUUID()}`, planEvents(4), { expectedVersion: 'no_stream' });
    await test.store.append(`plan-${planId}`, planEvents(2, 4), { expectedVersion: 3 });
    const result = await exportStream(test, signer, `plan-${planId}`);
    if (typeof result === 'string') throw new Error(result);
    exported = result;
  });
  afterAll(async () => test?.dispose());

  const copy = (): AuditExport => structuredClone(exported);
  const problemsOf = (file: unknown, key = signer.publicKeyPem): string[] => {
    const verdict = verifyExport(file, key);
    return verdict.ok ? [] : verdict.problems;
  };

  it('holds the plan’s events as stored, each proven in the signed checkpoint, and verifies', () => {
    expect(exported.events.map((e) => e.version)).toEqual([1, 2, 3, 4, 5]);
    expect(exported.checkpoint.treeSize).toBe(9);
    expect(exported.events[0]?.personal).toMatchObject({ sealed: true });
    expect(verifyExport(exported, signer.publicKeyPem)).toMatchObject({ ok: true });
    // It survives being written and read back as JSON.
    expect(verifyExport(JSON.parse(JSON.stringify(exported)), signer.publicKeyPem)).toMatchObject({ ok: true });
  });

  it('fails on one changed byte of an event, and names the event', () => {
    const data = copy();
    (data.events[1]!.data as { n: number }).n = 7;
    expect(problemsOf(data)).toContain('event version 2: its stored bytes do not match its hash');
    const sealed = copy();
    sealed.events[2]!.personal = { ...sealed.events[2]!.personal, data: 'c2VhbGVk4' };
    expect(problemsOf(sealed)).toContain('event version 3: its stored bytes do not match its hash');
  });

  it('fails on events out of order', () => {
    const file = copy();
    [file.events[1], file.events[2]] = [file.events[2]!, file.events[1]!];
    expect(problemsOf(file)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^event order: place 2 holds version 3/)]),
    );
  });

  it('fails when the last event is removed', () => {
    const file = copy();
    file.events.pop();
    file.proofs.pop();
    expect(problemsOf(file)).toEqual([
      'events: the export ends at version 4, and the signed stream head is version 5: events are missing at the end',
    ]);
  });

  it('fails on a changed proof', () => {
    const file = copy();
    const hash = file.proofs[0]!.proof[0]!;
    file.proofs[0]!.proof[0] = `${hash[0] === 'a' ? 'b' : 'a'}${hash.slice(1)}`;
    expect(problemsOf(file)).toEqual(['proof: the inclusion proof of version 1 does not lead to the signed root']);
  });

  it('fails on a changed signature or checkpoint', () => {
    const file = copy();
    const signature = Buffer.from(file.checkpoint.signature, 'base64');
    signature[0] = (signature[0] as number) ^ 1;
    file.checkpoint.signature = signature.toString('base64');
    expect(problemsOf(file)).toEqual(["signature: the checkpoint's signature does not verify"]);
    const root = copy();
    root.checkpoint.timestamp = '2030-01-01T00:00:00.000Z';
    expect(problemsOf(root)).toEqual(["signature: the checkpoint's signature does not verify"]);
  });

  it('fails with another key, naming both', () => {
    const problems = problemsOf(exported, otherSigner.publicKeyPem);
    expect(problems[0]).toBe(
      `key: the export names key ${signer.keyId}, and the public key given is ${otherSigner.keyId}`,
    );
    expect(problems).toContain(
      `signature: the checkpoint was signed by key ${signer.keyId}, and the public key given is ${otherSigner.keyId}`,
    );
    expect(problemsOf({ format: 'something else' })[0]).toMatch(/^the file is not an audit export/);
  });
});

describe('./run cli export plan and verify-export', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'small-steps-export-'));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  const run = promisify(execFile);
  const main = join(import.meta.dirname, '../src/main.ts');
  const cli = async (args: string[], env: Record<string, string>) => {
    try {
      const { stdout, stderr } = await run(process.execPath, ['--conditions=development', main, ...args], {
        env: { PATH: process.env.PATH ?? '', ...env },
      });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const e = error as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  };

  it('writes an export of an embedded store that checks out with the public key alone, and not when changed', async () => {
    const dataDir = join(dir, 'data');
    const planId = randomUUID();
    const storage = await openStorage({ kind: 'pglite', dataDir });
    await storage.store.append(`plan-${planId}`, planEvents(4), { expectedVersion: 'no_stream' });
    await storage.close();
    const keyFile = join(dir, 'audit.pem');
    await writeFile(keyFile, newKey());
    const env = { DATA_DIR: dataDir, AUDIT_SIGNING_KEY_FILE: keyFile, MASTER_KEY_FILE: join(dir, 'master.key') };
    await writeFile(join(dir, 'master.key'), `${Buffer.alloc(32, 7).toString('base64')}\n`);

    const out = join(dir, 'plan.json');
    const exported = await cli(['export', 'plan', planId, '--out', out], env);
    expect(exported.stderr).toBe('');
    expect(exported.stdout).toContain(`Wrote 4 events of plan ${planId}`);

    const publicKey = join(dir, 'public.pem');
    await writeFile(publicKey, treeHeadSigner(await readFile(keyFile, 'utf8'), keyFile).publicKeyPem);
    const verified = await cli(['verify-export', out, '--public-key', publicKey], {});
    expect(verified).toMatchObject({ code: 0 });
    expect(verified.stdout).toMatch(new RegExp(`^ok {6}plan-${planId}: 4 events`));

    const file = JSON.parse(await readFile(out, 'utf8'));
    file.events[0].type = 'ObservationDeleted';
    await writeFile(out, JSON.stringify(file));
    const failed = await cli(['verify-export', out, '--public-key', publicKey], {});
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain('FAILED  event version 1: its stored bytes do not match its hash');
  });
});
