import Fastify, { type FastifyInstance } from 'fastify';

/** Scalar's settings: the document from this service, and nothing loaded from anywhere else. */
const SCALAR_CONFIGURATION = {
  url: '/openapi.json',
  withDefaultFonts: false,
  hideClientButton: true,
  showDeveloperTools: 'never',
  telemetry: false,
  proxyUrl: '',
} as const;

/**
 * The API reference page at `/docs`, drawn by Scalar, loaded on its first visit rather than at
 * start: Scalar's module carries its 5 MB browser bundle as one string, whose parsing was a
 * quarter of an embedded start. The first visit builds a Fastify instance of its own with Scalar's
 * plugin, and every visit is answered from it.
 */
export async function docsPagePlugin(docs: FastifyInstance): Promise<void> {
  let scalarApp: Promise<FastifyInstance> | undefined;
  const loadScalar = async () => {
    const { default: scalar } = await import('@scalar/fastify-api-reference');
    const inner = Fastify({ logger: false });
    await inner.register(scalar, { routePrefix: '/docs', configuration: SCALAR_CONFIGURATION });
    await inner.ready();
    return inner;
  };
  for (const url of ['/docs', '/docs/', '/docs/js/scalar.js']) {
    docs.get(url, { schema: { hide: true } }, async (request, reply) => {
      scalarApp ??= loadScalar().catch((error: unknown) => {
        scalarApp = undefined;
        throw error;
      });
      const answer = await (await scalarApp).inject({ method: 'GET', url: request.url });
      for (const name of ['content-type', 'location'] as const) {
        const value = answer.headers[name];
        if (value !== undefined) reply.header(name, value);
      }
      return reply.code(answer.statusCode).send(answer.rawPayload);
    });
  }
}
