// Writes docs/api/openapi.json from the zod schemas in @bim-pack/shared.
// Run: node --conditions=source --import tsx scripts/gen-openapi.ts
import { readFileSync, writeFileSync } from 'node:fs';
import { buildOpenApiDocument } from '@bim-pack/shared';

const root = new URL('..', import.meta.url);
const { version } = JSON.parse(readFileSync(new URL('packages/shared/package.json', root), 'utf8')) as { version: string };
writeFileSync(new URL('docs/api/openapi.json', root), `${JSON.stringify(buildOpenApiDocument(version), null, 2)}\n`);
