import type { AnyTRPCRouter } from '@trpc/server';
import { generateOpenApiDocument, type OpenAPIObject } from 'trpc-to-openapi';
import { restErrorSchema } from './rest-error.ts';

const ERROR_REF = { $ref: '#/components/schemas/Error' };

/**
 * The OpenAPI 3.1 document of the procedures that opted into REST. Every error response
 * points at the hub's error body (the adapter would describe its own, which we replace).
 */
export function restDocument(router: AnyTRPCRouter, options: { basePath: string }): OpenAPIObject {
  const document = generateOpenApiDocument(router, {
    title: 'Phoenix Hub',
    description:
      'The hub’s procedures as REST. Authenticate with a session token (from /auth/login) or an API key as the bearer token.',
    version: '1.0.0',
    baseUrl: options.basePath,
    docsUrl: '/docs',
    securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
    defs: { Error: restErrorSchema },
  });
  for (const item of Object.values(document.paths ?? {})) {
    for (const operation of Object.values(item)) {
      if (!operation || typeof operation !== 'object' || !('responses' in operation)) continue;
      for (const [status, response] of Object.entries(operation.responses ?? {})) {
        if (
          status.startsWith('2') ||
          !response ||
          typeof response !== 'object' ||
          !('content' in response)
        ) {
          continue;
        }
        response.content = { 'application/json': { schema: ERROR_REF } };
      }
    }
  }
  return document;
}
