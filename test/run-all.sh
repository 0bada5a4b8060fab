#!/usr/bin/env bash
# The README's test command (`npm test`): installs the system needs it lacks,
# then type-checks and lints (static), then runs the tiers — unit (plain Node), real (real inference servers from
# PyPI, venvs cached outside the repository), docker (real engine), workbench (real VS Code in code-server +
# Chromium) — and prints a summary.
# Every tier runs even if an earlier one fails; the exit code is non-zero if any failed.
# Each tier starts what its tests need before they run (the workbench tier starts the Docker engine
# before its extension-host suites: the docker tier stops the dockerd it started). Under CI=true a
# skipped or pending test fails its tier, named with its reason: unit (node:test skip/todo, via
# test/unit/skipReporter.mjs), extension-host mocha (pending), UI journeys (a step's skip()).
set -uo pipefail
cd "$(dirname "$0")/.."
t0=$(date +%s)
declare -A status
run_tier() {
  local name=$1; shift
  local s; s=$(date +%s)
  echo "================ $name ================"
  "$@"; local rc=$?
  status[$name]="exit $rc, $(( $(date +%s) - s )) s"
  return $rc
}
fail=0
[ -d node_modules ] || npm ci --no-audit --no-fund || exit 1
bash test/e2e/install.sh || { echo "test: installing the workbench tier's system needs failed"; exit 1; }
export SKIP_E2E_INSTALL=1
run_tier static npm run --silent check || fail=1
run_tier unit npm run --silent test:unit || fail=1
run_tier real npm run --silent test:real || fail=1
run_tier docker npm run --silent test:docker || fail=1
run_tier workbench npm run --silent test:workbench || fail=1
echo "================ summary ================"
for t in static unit real docker workbench; do echo "  $t: ${status[$t]:-not run}"; done
echo "  total: $(( $(date +%s) - t0 )) s"
exit $fail
