#!/usr/bin/env bash
# Scale-out and fault scenario by hand (the same test `bash scripts/test.sh` runs): PostgreSQL, the embedded Kafka and
# three silo processes clustered through ADO.NET; a steady click stream; one silo SIGKILLed mid-stream and a fourth
# started later; then every user's history is checked against the produced clicks. Prints the summary line
# (produced, lost, duplicated, recovery, query error rate, longest query gap); silo logs and the summary are in
# artifacts/scale-out/. Environment: HYMIREC_SCALEOUT_USERS (200), _RATE (clicks/s, 200), _PARTITIONS (8),
# _KILL_AFTER_S (12), _JOIN_AFTER_S (20), _TAIL_S (10), _RECOVERY_BOUND_S (60).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

rm -f artifacts/scale-out/summary.txt
set +e
dotnet test tests/HyMiRec.IntegrationTests -c Release --no-build -nologo \
  --filter "FullyQualifiedName~HyMiRec.IntegrationTests.ScaleOut" --logger "console;verbosity=normal"
status=$?
set -e
if [ -f artifacts/scale-out/summary.txt ]; then
  cat artifacts/scale-out/summary.txt
fi
exit "$status"
