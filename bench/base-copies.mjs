/**
 * For an A/B in the same rounds (bench/cpu-leituras.ts's BENCH_GATEWAY_EXEC_ARGV_B="--import ./bench/base-copies.mjs"):
 * the process it is imported into runs copies of some of the repository's files instead of the files themselves, e.g.
 * each file as it was at a base commit. BENCH_BASE_FILES lists them (paths from the repository's root, comma
 * separated, `node_modules/...` included: a patched package file against its earlier patch), BENCH_BASE_DIR is the
 * folder holding the copies at the same relative paths (`git show <base>:<file> > <dir>/<file>`). Relative imports
 * inside a copy resolve as from the original's place. Not part of the suite.
 */
import { register } from 'node:module';

register('./base-copies-hooks.mjs', import.meta.url);
