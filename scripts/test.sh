#!/usr/bin/env bash
# The one test command: sets up (idempotently), then runs the unit tests (tests/HyMiRec.UnitTests, under a minute)
# and the integration tests (tests/HyMiRec.IntegrationTests: silos, PostgreSQL, embedded Kafka, kubectl renders,
# training runs), one project after the other so the integration tests have the machine to themselves.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

log=$(mktemp)
trap 'rm -f "$log"' EXIT
# The scale-out fault test (tests/HyMiRec.IntegrationTests/ScaleOut) writes its figures here; shown after the run.
scale_out=artifacts/scale-out/summary.txt
rm -f "$scale_out"
status=0
set +e
for project in tests/HyMiRec.UnitTests tests/HyMiRec.IntegrationTests; do
  dotnet test "$project" -c Release --no-build -nologo 2>&1 | tee -a "$log"
  code=${PIPESTATUS[0]}
  if [ "$code" -ne 0 ]; then
    status=$code
  fi
done
set -e

if [ -f "$scale_out" ]; then
  cat "$scale_out"
fi

# One plain closing line for CI, summed over test assemblies: VSTest prints one "Passed!|Failed!|Skipped! - Failed: N,
# Passed: N, Skipped: N, ..." line per assembly ("Skipped!" when every test ran was skipped); xunit.v3 runs through
# xunit.runner.visualstudio, so the line is VSTest's.
awk '/(Passed|Failed|Skipped)! +- Failed:/ {
       for (i = 1; i <= NF; i++) { gsub(",", "", $(i+1)); if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) }
     }
     END { printf "Tests: %d passed, %d failed, %d skipped\n", p, f, s }' "$log"
exit "$status"
