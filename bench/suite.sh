#!/usr/bin/env bash
# Suite speed against a baseline commit, measured in the same run (not part of the test suite):
#
#   bash bench/suite.sh [BASELINE=26151fb] [RUNS=3]
#
# Checks the baseline out in a temporary worktree (npm ci there), then alternates RUNS runs of each side
# (baseline, this tree) on the test files that exist at the baseline, so both sides see the same machine
# load. Prints, per run and as medians: wall seconds, the per-file durations vitest reports summed, and
# CPU seconds (user + sys of vitest and its workers; the throwaway PostgreSQL server is not counted);
# then the ratio this tree / baseline. Removes the worktree at the end. On a shared machine, read the
# CPU ratio beside the wall one: wall time follows the other processes' load.
set -euo pipefail

baseline=${1:-26151fb}
runs=${2:-3}
here=$(git rev-parse --show-toplevel)
work=$(mktemp -d "${TMPDIR:-/tmp}/suite-bench-XXXXXX")
old="$work/baseline"

cleanup() {
  git -C "$here" worktree remove --force "$old" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

git -C "$here" worktree add --detach "$old" "$baseline" >/dev/null
(cd "$old" && npm ci --no-audit --no-fund >/dev/null 2>&1)
mapfile -t files < <(git -C "$here" ls-tree -r --name-only "$baseline" -- test | grep -E '\.test\.ts$')
echo "baseline $baseline, ${#files[@]} test files, $runs runs per side"

one_run() { # <dir> <tag>
  local dir=$1 tag=$2 start end
  start=$(date +%s.%N)
  # A failed test still yields its timings; it is counted in the last column (under heavy load, the
  # suite's 30 s test timeout can fail a run of either side).
  (cd "$dir" && /usr/bin/time -o "$work/$tag.time" -f '%U %S' npx vitest run "${files[@]}" \
    --reporter=json --outputFile="$work/$tag.json" >"$work/$tag.log" 2>&1) || true
  end=$(date +%s.%N)
  node -e '
    const [json, time, wall, tag] = process.argv.slice(1);
    const r = require(json);
    const summed = r.testResults.reduce((s, t) => s + (t.endTime - t.startTime) / 1000, 0);
    const cpu = require("fs").readFileSync(time, "utf8").trim().split(/\s+/).slice(-2).map(Number).reduce((a, b) => a + b, 0);
    console.log([tag, Number(wall).toFixed(1), summed.toFixed(1), cpu.toFixed(1), r.numPassedTests, r.numFailedTests].join("\t"));
  ' "$work/$tag.json" "$work/$tag.time" "$(echo "$end - $start" | bc)" "$tag" | tee -a "$work/results.tsv"
}

printf 'run\twall_s\tsummed_s\tcpu_s\tpassed\tfailed\n'
for i in $(seq 1 "$runs"); do
  one_run "$old" "baseline-$i"
  one_run "$here" "current-$i"
done

node -e '
  const rows = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").map((l) => l.split("\t"));
  const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
  const side = (p, col) => median(rows.filter((r) => r[0].startsWith(p)).map((r) => Number(r[col])));
  for (const [name, col] of [["wall", 1], ["summed", 2], ["cpu", 3]]) {
    const b = side("baseline", col), c = side("current", col);
    console.log(`median ${name}: baseline ${b.toFixed(1)} s, current ${c.toFixed(1)} s, ratio ${(c / b).toFixed(2)} (${((1 - c / b) * 100).toFixed(0)}% less)`);
  }
' "$work/results.tsv"
