import type { FastifyInstance } from 'fastify';
import { z } from 'zod';

const NO_PARAMETERS = z.object({}).strict();

/**
 * Every /v1 route refuses a query parameter it does not know (400, naming it), rather than ignoring
 * it: a caller who sends `?updated_after=` to a route without that filter must not believe it
 * filtered and act on the wrong child's record. Applied to each route as it is added, so a new route
 * cannot forget it.
 */
export async function strictQueryPlugin(app: FastifyInstance): Promise<void> {
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/v1/')) return;
    route.schema ??= {};
    const query = route.schema.querystring;
    if (query === undefined) route.schema.querystring = NO_PARAMETERS;
    else if (query instanceof z.ZodObject) route.schema.querystring = query.strict();
    else throw new TypeError(`${route.method} ${route.url}: its querystring schema must be a zod object`);
  });
}
