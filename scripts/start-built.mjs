/**
 * `npm start`: rebuilds dist/ first when a source is newer than the last build (`npm run build`, in this process),
 * then runs the bundled gateway start (dist/scripts/start.js) in this same process: one Node start, not a second
 * one for the staleness check. Plain JavaScript, so it needs no build itself.
 */
import { buildIsStale } from './build-freshness.mjs';

if (buildIsStale()) await import('./build.mjs');
await import('../dist/scripts/start.js');
