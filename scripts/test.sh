#!/usr/bin/env bash
# The one test command: sets up (idempotently), then runs every test in the solution.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

log=$(mktemp)
trap 'rm -f "$log"' EXIT
# The scale-out fault test (tests/HyMiRec.Tests/ScaleOut) writes its figures here; shown after the run.
scale_out=artifacts/scale-out/summary.txt
rm -f "$scale_out"
set +e
dotnet test HyMiRec.sln -c Release --no-build -nologo 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

if [ -f "$scale_out" ]; then
  cat "$scale_out"
fi

# One plain closing line for CI, summed over test assemblies.
awk '/(Passed|Failed)! +- Failed:/ {
       for (i = 1; i <= NF; i++) { gsub(",", "", $(i+1)); if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) }
     }
     END { printf "Tests: %d passed, %d failed, %d skipped\n", p, f, s }' "$log"
exit "$status"
