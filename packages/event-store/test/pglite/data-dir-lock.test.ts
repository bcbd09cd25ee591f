import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DataDirInUse, lockDataDir } from '../../src/pglite/data-dir-lock.ts';

describe('lockDataDir', () => {
  let root: string;
  let dataDir: string;
  const children: ChildProcess[] = [];

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'ss-lock-'));
    dataDir = join(root, 'pglite');
  });
  afterEach(() => {
    for (const child of children.splice(0)) child.kill();
    rmSync(root, { recursive: true, force: true });
  });

  it('writes this process id to a lock file beside the folder and removes it on release', () => {
    const lock = lockDataDir(dataDir);
    expect(lock.lockFile).toBe(`${resolve(dataDir)}.lock`);
    expect(readFileSync(lock.lockFile, 'utf8').trim()).toBe(String(process.pid));
    lock.release();
    expect(existsSync(lock.lockFile)).toBe(false);
  });

  it('refuses a second opener, naming the folder and the holder, and lets it in after release', () => {
    const lock = lockDataDir(dataDir);
    const refusal = (() => {
      try {
        lockDataDir(dataDir);
      } catch (error) {
        return error;
      }
    })();
    expect(refusal).toBeInstanceOf(DataDirInUse);
    expect(refusal).toMatchObject({ dataDir: resolve(dataDir), holderPid: process.pid });
    expect((refusal as Error).message).toContain(resolve(dataDir));
    expect((refusal as Error).message).toContain(`process ${process.pid}`);
    lock.release();
    lockDataDir(dataDir).release();
  });

  it('refuses while another running process holds the lock', () => {
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    children.push(holder);
    writeFileSync(`${resolve(dataDir)}.lock`, `${holder.pid}\n`);
    expect(() => lockDataDir(dataDir)).toThrow(`in use by process ${holder.pid}`);
  });

  it('is refused to a second process while this one holds the folder', () => {
    const lock = lockDataDir(dataDir);
    const module = resolve(import.meta.dirname, '../../src/pglite/data-dir-lock.ts');
    const script = `import(${JSON.stringify(module)}).then((m) => m.lockDataDir(${JSON.stringify(dataDir)}))
      .then(() => console.log('locked'), (e) => console.log(e.message));`;
    const output = execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    expect(output).toContain(`The PGlite data folder ${resolve(dataDir)} is in use by process ${process.pid}`);
    lock.release();
  });

  it('takes over a lock left by a process that has exited', () => {
    const exited = spawnSync(process.execPath, ['-e', '']);
    writeFileSync(`${resolve(dataDir)}.lock`, `${exited.pid}\n`);
    const lock = lockDataDir(dataDir);
    expect(readFileSync(lock.lockFile, 'utf8').trim()).toBe(String(process.pid));
    lock.release();
  });

  it('takes over a lock file that holds no process id', () => {
    writeFileSync(`${resolve(dataDir)}.lock`, '');
    lockDataDir(dataDir).release();
  });
});
