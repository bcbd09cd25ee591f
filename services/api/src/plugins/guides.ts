import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';

/** The project's guides (docs/*.md), served beside the API reference so an LA network needs nothing else. */
export const GUIDES = {
  domain: 'The rules a plan keeps, with their ids: what each refusal means and what the guidance behind it asks.',
  architecture: 'How the service is built: the event store, projections, audit, personal data at rest.',
  operations: 'Running it: settings, deploying, monitoring, backups, upgrading, routine jobs.',
} as const;

/** The repository's (or the image's) `docs/` folder: the nearest one above this module that holds the guides. */
export function guidesFolder(from = dirname(fileURLToPath(import.meta.url))): string | undefined {
  for (let folder = from; ; folder = dirname(folder)) {
    if (existsSync(join(folder, 'docs', 'operations.md'))) return join(folder, 'docs');
    if (dirname(folder) === folder) return undefined;
  }
}

/** The guides as Markdown at `/docs/guides/{name}.md`, public like the rest of the docs. */
export async function guidesPlugin(app: FastifyInstance, folder: string | undefined): Promise<void> {
  if (folder === undefined) return;
  const Params = z.strictObject({ name: z.enum(Object.keys(GUIDES) as [keyof typeof GUIDES]) });
  // The guides do not change while the service runs: each is read from disk once, on its first request.
  const read = new Map<string, Promise<string>>();
  app.get(
    '/docs/guides/:name.md',
    { schema: { hide: true, params: Params }, config: { public: true } },
    async (request, reply) => {
      const { name } = request.params as z.infer<typeof Params>;
      let text = read.get(name);
      if (text === undefined) {
        text = readFile(join(folder, `${name}.md`), 'utf8').catch((error: unknown) => {
          read.delete(name);
          throw error;
        });
        read.set(name, text);
      }
      return reply.type('text/markdown; charset=utf-8').send(await text);
    },
  );
}

/** The "Guides" section of the API description: a link to each guide the service serves. */
export function guidesSection(folder: string | undefined): string {
  if (folder === undefined) return '';
  const links = Object.entries(GUIDES).map(([name, what]) => `- [${name}.md](/docs/guides/${name}.md): ${what}`);
  return `\n\n## Guides\n\n${links.join('\n')}`;
}
