import swagger from '@fastify/swagger';
import { problemTypes, problemTypeUri } from '@small-steps/contracts';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { docsPagePlugin } from './docs-page.ts';
import { GETTING_STARTED } from './getting-started.ts';
import { guidesFolder, guidesPlugin, guidesSection } from './guides.ts';
import { withConditionalReads } from './openapi-conditional-reads.ts';
import { withConventions } from './openapi-conventions.ts';
import { withIntegerFormats } from './openapi-integer-formats.ts';
import { withRequestSchemasForGenerators } from './openapi-request-schemas.ts';

const problemTable = [...problemTypes.values()]
  .map((p) => `| \`${problemTypeUri(p.id)}\` | ${p.status} | ${p.title} | ${p.doc} |`)
  .join('\n');

const guides = guidesFolder();

const description = `Stepped support plans for pupils with emotionally based school avoidance.

${GETTING_STARTED}

## Conventions

Every route but \`/health/*\`, \`/openapi.json\` and \`/docs\` needs \`Authorization: Bearer <token>\`.
A tenant (LA) never sees another's records: they answer 404. Fields marked \`x-personal\` are personal data.

Errors are RFC 9457 problem details (\`application/problem+json\`). A broken plan rule is a 422 whose \`type\`
ends in the rule id and whose \`detail\` says what the guidance asks.

| type | status | title | when |
|---|---|---|---|
${problemTable}${guidesSection(guides)}`;

// Relative: the document is served by the service it describes, wherever that is deployed. Public
// (`x-internal: false`): LA systems outside the service are its audience.
const SERVER = {
  url: '/',
  description: 'This Small Steps service, in whichever environment serves the document (local, staging or production).',
  'x-internal': false,
};

const DOCS_CSP = [
  "default-src 'self'",
  "script-src 'self' 'unsafe-inline'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** OpenAPI 3.1 from the zod schemas at `/openapi.json`, and browsable docs at `/docs`. */
export async function openapiPlugin(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Small Steps API', version: '0.1.0', description },
      servers: [SERVER],
      tags: [
        { name: 'pupils', description: 'Pupils on school rolls in your LA: register, correct, admit, leave, erase.' },
        {
          name: 'plans',
          description:
            'Stepped support plans: gather views and groundwork, agree a goal and a ladder of steps, practise and review.',
        },
        { name: 'attendance', description: 'Register marks, attendance trends and the progress picture.' },
        {
          name: 'caseload',
          description: 'Which of your pupils need you now: caseload alerts, why, since when, and their history.',
        },
        {
          name: 'analytics',
          description:
            'Pseudonymous figures for analysts: counts by school, year group and need, with small numbers suppressed (`c`); JSON or CSV.',
        },
        {
          name: 'audit',
          description:
            'For auditors and administrators: verify a record’s hash chain, signed checkpoints and proofs, the access log.',
        },
        { name: 'feed', description: 'The change feed: your LA’s events in order, for systems that follow them.' },
        { name: 'health', description: 'Liveness and readiness, for load balancers and orchestrators (no token).' },
      ],
      components: {
        securitySchemes: {
          bearer: {
            type: 'http',
            scheme: 'bearer',
            bearerFormat: 'JWT',
            // What auth.ts checks: an allow-list of algorithms (never `none`), issuer, audience and expiry.
            description:
              'A signed JWT, verified as RFC8725 asks: only the configured algorithms (HS256 with a shared secret, or RS256, ES256, PS256 or EdDSA from a JWKS; never `none`), with its issuer, audience and expiry checked.',
          },
        },
      },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: (input) => {
      const doc = jsonSchemaTransformObject(input) as Parameters<typeof withConventions>[0];
      return withIntegerFormats(withRequestSchemasForGenerators(withConditionalReads(withConventions(doc))));
    },
  });
  app.get('/openapi.json', { schema: { hide: true }, config: { public: true } }, async () => app.swagger());
  await app.register(async (docs) => {
    docs.addHook('onRoute', (route) => {
      route.config = { ...route.config, public: true };
    });
    // An LA network may block third-party hosts, and a council may forbid calls to them: the page
    // loads nothing from outside the service (no web fonts, no request proxy, no vendor buttons or
    // telemetry), and its Content-Security-Policy lets the browser enforce that.
    docs.addHook('onSend', async (_request, reply) => {
      reply.header('content-security-policy', DOCS_CSP);
    });
    await guidesPlugin(docs, guides);
    await docsPagePlugin(docs);
  });
}
