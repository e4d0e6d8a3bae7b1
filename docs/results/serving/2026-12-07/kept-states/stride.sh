#!/bin/bash
# Users past MaxHistory (1,500-event histories): the exact window (stride 1) against a window moving every 64 events.
cd /work/main
out=docs/results/serving/2026-12-07/kept-states
bench() { DOTNET_ENVIRONMENT=Development dotnet bench/HyMiRec.Serving.Bench/bin/Release/net10.0/hymirec-serving-bench.dll "$@"; }
for stride in 1 64; do
  echo "=== $(date -u +%H:%M:%S) recompute --history 1500, Users:HistoryWindowStride=$stride; uptime: $(uptime)"
  bench recompute --concurrency 1,16,64 --rounds 8 --history 1500 --silo "Users:HistoryWindowStride=$stride" --out $out/recompute-h1500-stride$stride.json
done
echo "=== $(date -u +%H:%M:%S) done; uptime: $(uptime)"
