// `./run start` runs the service as one bundle (services/api/dist/start, the api's `bundle` task,
// which turbo runs before these tests). The bundle names its data-folder template differently from
// tsc's output (it reprints the migrations' source), and finds files beside its modules through
// their own import.meta.url: a mistake in either still starts, only slowly or without the docs.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const bundle = new URL('../../services/api/dist/start/', import.meta.url).pathname;

describe('the bundled start (./run start)', () => {
  let child: ChildProcess | undefined;
  let folder: string | undefined;
  afterAll(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  it('finds the data-folder template under the name the bundle gives it', () => {
    const template = execFileSync(process.execPath, [join(bundle, 'pglite-template-path.js')], { encoding: 'utf8' });
    expect(template.startsWith(join(bundle, 'pglite-template'))).toBe(true);
    expect(existsSync(template), template).toBe(true);
  });

  it('serves a new data folder: ready, its OpenAPI document and docs page, then exits on SIGTERM', async () => {
    folder = await mkdtemp(join(tmpdir(), 'small-steps-bundle-'));
    const started = spawn(process.execPath, [join(bundle, 'main.js')], {
      env: { ...process.env, NODE_ENV: 'test', HOST: '127.0.0.1', PORT: '0', DATA_DIR: join(folder, 'data') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = started;
    let output = '';
    const url = await new Promise<string>((resolve, reject) => {
      const read = (chunk: Buffer) => {
        output += chunk;
        const listening = /listening on (http:\/\/\S+)/.exec(output);
        if (listening?.[1]) resolve(listening[1]);
      };
      started.stdout?.on('data', read);
      started.stderr?.on('data', read);
      started.on('exit', (code) => reject(new Error(`the bundle exited (${code}) before listening:\n${output}`)));
    });
    const exited = new Promise<number | null>((resolve) => started.on('exit', (code) => resolve(code)));
    expect((await fetch(`${url}/health/ready`)).status).toBe(200);
    const document = (await (await fetch(`${url}/openapi.json`)).json()) as { openapi: string };
    expect(document.openapi).toMatch(/^3\./);
    // The docs page is a chunk of its own, loaded on the first visit, with its script beside it.
    expect((await fetch(`${url}/docs/`)).status).toBe(200);
    const script = await fetch(`${url}/docs/js/scalar.js`);
    expect(script.status).toBe(200);
    expect((await script.text()).length).toBeGreaterThan(100_000);
    started.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
