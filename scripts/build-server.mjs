// Bundles the server's own TypeScript (and shared/) into dist/server/main.js and the chunks it loads
// on demand; npm packages stay external. Chunks of an earlier build are cleared first.
import { rm } from 'node:fs/promises';
import { bundleServer } from './server-bundle.mjs';

await rm('dist/server', { recursive: true, force: true });
await bundleServer('server/main.ts', 'dist/server');
