import type { FastifyInstance } from 'fastify';

/**
 * Closing without cutting anyone off. `app.close()` stops accepting connections and closes the idle
 * ones; a request already in flight on a keep-alive connection is answered, with `Connection: close`,
 * so the client opens its next connection elsewhere and this one ends once the answer is out.
 * Without that header the connection stayed open after its answer until the keep-alive timeout
 * (72 s), the close waited for it, and whatever stopped the process at the end of its grace period
 * reset it. A request that still arrives on an open connection is answered too, not refused
 * (Fastify's `return503OnClosing`, off in app.ts), also with `Connection: close`.
 */
export async function gracefulClosePlugin(app: FastifyInstance): Promise<void> {
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', async (_request, reply, payload) => {
    if (closing) reply.header('connection', 'close');
    return payload;
  });
  // An answer whose headers went out before the close began still says keep-alive: once it is
  // out, its connection is idle, and closed as the others were.
  app.addHook('onResponse', async () => {
    if (closing) setImmediate(() => app.server.closeIdleConnections());
  });
}
