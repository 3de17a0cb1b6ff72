/**
 * Built names carry an 8-character content hash: esbuild's (A-Z, 0-9) or, for the chunks Angular's chunk
 * optimizer (NG_BUILD_OPTIMIZE_CHUNKS, package.json) merges, rolldown's (base64url). The service worker's
 * precache (build-sw.mjs) and the server's Cache-Control (server/http/http-app.ts) both go by it.
 */
export const HASHED = /-[A-Za-z0-9_-]{8}\.(js|css)$/;

/** A built file, or its brotli or gzip copy (scripts/precompress.mjs), whose name carries its content hash. */
export function isHashedName(file) {
  return HASHED.test(file.replace(/\.(br|gz)$/, ''));
}
