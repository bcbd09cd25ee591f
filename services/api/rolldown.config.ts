// `./run start` runs dist/start/main.js: the service and its dependencies in a few files. Node spent
// most of an embedded start loading about a thousand modules one by one (kysely alone is 257
// files); the bundle loads in a fraction of that. The image runs dist/main.js (tsc's output,
// `pnpm deploy`ed elsewhere): this bundle names files by where they were at build time, so it only
// ever runs where it was built.

import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { defineConfig, type Plugin } from 'rolldown';

/**
 * Code that finds files beside itself (the PGlite template, PGlite's WASM, the docs folder) reads
 * `import.meta.url`: each module keeps its own file's URL, as it had unbundled.
 */
const ownImportMetaUrl: Plugin = {
  name: 'own-import-meta-url',
  transform(code, id) {
    if (!code.includes('import.meta.url')) return null;
    return { code: code.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(id).href)), map: null };
  },
};

/**
 * The KurrentDB client loads a native addon from beside its own files: it stays where it is
 * installed, imported by its path only by a process configured for KurrentDB.
 */
const kurrentDbClientInPlace: Plugin = {
  name: 'kurrentdb-client-in-place',
  async resolveId(source, importer) {
    if (source !== '@kurrent/kurrentdb-client') return null;
    const resolved = await this.resolve(source, importer, { skipSelf: true });
    return resolved && { id: resolved.id, external: 'absolute' };
  },
};

/** Where the bundle looks for its data-folder template: in its own build output, cached with it. */
const TEMPLATE_DIR = resolve('dist/start/pglite-template');
const TEMPLATE_DIR_IN_STORAGE = "new URL('../dist/pglite-template/', import.meta.url)";

/**
 * A template is named after its migrations' source, which the bundle reprints: the bundle would
 * never find the build's template, and a new data folder would take initdb's seconds. The build's
 * template, named as tsc's output names it, is copied to the name the bundle looks for, in the
 * bundle's own folder, so that turbo restores it with the bundle.
 */
const templateUnderBundledName: Plugin = {
  name: 'template-under-bundled-name',
  transform(code, id) {
    if (!id.endsWith('/packages/application/dist/storage.js')) return null;
    if (!code.includes(TEMPLATE_DIR_IN_STORAGE)) throw new Error(`${id} no longer says ${TEMPLATE_DIR_IN_STORAGE}`);
    const here = JSON.stringify(pathToFileURL(`${TEMPLATE_DIR}/`).href);
    return { code: code.replace(TEMPLATE_DIR_IN_STORAGE, `new URL(${here})`), map: null };
  },
  writeBundle() {
    const nameBy = (script: string) => execFileSync(process.execPath, [script], { encoding: 'utf8' });
    const built = nameBy('dist/pglite-template-path.js');
    const bundled = nameBy('dist/start/pglite-template-path.js');
    if (!existsSync(built)) throw new Error(`no data-folder template at ${built}: build @small-steps/application`);
    if (dirname(bundled) !== TEMPLATE_DIR) throw new Error(`the bundle looks for its template at ${bundled}`);
    rmSync(TEMPLATE_DIR, { recursive: true, force: true });
    mkdirSync(TEMPLATE_DIR, { recursive: true });
    const copying = `${bundled}.partial`;
    cpSync(built, copying, { recursive: true });
    renameSync(copying, bundled);
  },
};

export default defineConfig({
  input: { main: 'dist/main.js', 'pglite-template-path': 'dist/pglite-template-path.js' },
  platform: 'node',
  // What a dynamic import loads only when used (the docs page, a KurrentDB store) gets chunks of its own.
  output: { dir: 'dist/start', format: 'esm', sourcemap: true },
  // The template's folder first: the generic import.meta.url rewrite would hide what it looks for.
  plugins: [templateUnderBundledName, ownImportMetaUrl, kurrentDbClientInPlace],
});
