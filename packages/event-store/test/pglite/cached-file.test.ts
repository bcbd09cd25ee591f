import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensureCachedFile } from '../../src/pglite/cached-file.ts';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('ensureCachedFile', () => {
  let folder: string;

  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'ss-cache-'));
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  it('builds a missing file once however many callers wait for it', async () => {
    const path = join(folder, 'built');
    let builds = 0;
    const build = async () => {
      builds++;
      return bytes('content');
    };
    await Promise.all([ensureCachedFile(path, build), ensureCachedFile(path, build), ensureCachedFile(path, build)]);
    expect(builds).toBe(1);
    expect(readFileSync(path, 'utf8')).toBe('content');
  });

  it('keeps a file that is already there', async () => {
    const path = join(folder, 'kept');
    writeFileSync(path, 'cached');
    await ensureCachedFile(path, async () => bytes('rebuilt'));
    expect(readFileSync(path, 'utf8')).toBe('cached');
  });

  it('builds again after a failed build, leaving nothing behind', async () => {
    const path = join(folder, 'retried');
    await expect(
      ensureCachedFile(path, async () => {
        throw new Error('initdb failed');
      }),
    ).rejects.toThrow('initdb failed');
    expect(readdirSync(folder)).toEqual([]);
    await ensureCachedFile(path, async () => bytes('second try'));
    expect(readFileSync(path, 'utf8')).toBe('second try');
  });

  it('clears out files unused for a day when it writes a new one', async () => {
    const stale = join(folder, 'stale');
    const recent = join(folder, 'recent');
    writeFileSync(stale, 'old');
    writeFileSync(recent, 'in use');
    const twoDaysAgo = new Date(Date.now() - 2 * 24 * 60 * 60 * 1000);
    utimesSync(stale, twoDaysAgo, twoDaysAgo);
    utimesSync(recent, twoDaysAgo, twoDaysAgo);

    await ensureCachedFile(recent, async () => bytes('unused'));
    await ensureCachedFile(join(folder, 'new'), async () => bytes('new'));
    expect(readdirSync(folder).sort()).toEqual(['new', 'recent']);
  });

  it('leaves one whole file and no temporary ones when processes build it at once', async () => {
    const path = join(folder, 'shared');
    const size = 8 * 1024 * 1024;
    const module = resolve(import.meta.dirname, '../../src/pglite/cached-file.ts');
    const writers = ['a', 'b', 'c', 'd'].map(
      (fill) =>
        new Promise<number | null>((done, fail) => {
          const script = `import(${JSON.stringify(module)}).then((m) => m.ensureCachedFile(${JSON.stringify(path)},
            async () => new Uint8Array(${size}).fill(${fill.charCodeAt(0)})))`;
          const child = spawn(process.execPath, ['-e', script], { stdio: 'inherit' });
          child.on('error', fail);
          child.on('exit', done);
        }),
    );
    expect(await Promise.all(writers)).toEqual([0, 0, 0, 0]);

    expect(readdirSync(folder)).toEqual(['shared']);
    const content = readFileSync(path);
    expect(content.length).toBe(size);
    expect(new Set(content).size).toBe(1);
  }, 30_000);
});
