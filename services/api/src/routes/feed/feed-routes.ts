import { AccessReasonHeaders, FeedPage, FeedQuery, feedKindsOf, Problem } from '@small-steps/contracts';
import { FEED_READERS } from '@small-steps/projections';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { readerOf } from '../../auth/reader.ts';
import type { Services } from '../../services.ts';

const problems = { 400: Problem, 401: Problem, 403: Problem };

const description = `The events of your LA in the order they were committed, a page at a time, for a system that keeps its own copy (a case-management system). Each carries its type, its stream and kind, its version in the stream, when it was recorded, who recorded it (id and role), and its payload read as the current version of its contract: older stored versions are read through their upcasters.

Send the page's \`next\` as \`after\` to read on: it never skips an event that commits late, and is always present (equal to \`after\` when nothing new came). With \`wait\`, a request with nothing new waits up to that many seconds for new events, so a client need not poll in a loop.

To resume after a crash, store \`next\` in the same transaction as your own writes of the page, and on restart read from the cursor you stored: each event is then applied once. If you store it apart, a crash between your writes and the cursor delivers those events again (at least once): deduplicate on \`eventId\` and \`part\`.

School staff see their school's registers and the events of the plans and pupils their school can see now; a page may then hold fewer events than \`limit\` (even none) while \`next\` moves past those it read. Analysts may not read the feed.`;

/** The change feed for LA systems: the caller's tenant's events in log order, with a cursor and long-polling. */
export async function feedRoutes(app: FastifyInstance, services: Services): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { feedReads } = services;
  // A close ends the long-polls at once, with what they have: it does not wait out their waits.
  const closing = new AbortController();
  app.addHook('preClose', async () => closing.abort());

  api.get(
    '/v1/feed',
    {
      config: { roles: FEED_READERS },
      schema: {
        tags: ['feed'],
        operationId: 'readFeed',
        summary: 'Read the change feed: your LA’s events in order, from a cursor',
        description,
        querystring: FeedQuery,
        headers: AccessReasonHeaders,
        response: { 200: FeedPage, ...problems },
      },
    },
    async (request, reply) => {
      const { after, limit, wait, kind, since } = request.query;
      // The caller going away ends its wait too.
      const gone = new AbortController();
      const onClose = () => gone.abort();
      reply.raw.once('close', onClose);
      try {
        const page = await feedReads.page(readerOf(request), {
          ...(after === undefined ? {} : { after }),
          limit,
          kinds: feedKindsOf(kind),
          ...(since === undefined ? {} : { since: new Date(since) }),
          waitMs: wait * 1000,
          signal: AbortSignal.any([closing.signal, gone.signal]),
        });
        return reply.header('cache-control', 'no-store').send(page);
      } finally {
        reply.raw.off('close', onClose);
      }
    },
  );
}
