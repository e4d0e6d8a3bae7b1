#!/bin/bash
# The latency set with PostgreSQL and cold users (every click activates its user), kept states on and off.
cd /work/main
out=docs/results/serving/2026-12-07/kept-states
pg=$(PGPORT=55479 PGDATA_DIR=/tmp/hymirec-pg-w96 bash scripts/postgres.sh)
bench() { DOTNET_ENVIRONMENT=Development dotnet bench/HyMiRec.Serving.Bench/bin/Release/net10.0/hymirec-serving-bench.dll "$@"; }
L="--clicks 10000 --users 10000 --prefill 50 --rate 500 --modes EveryEvent --read-rate 200 --warmup-s 10"
for cache in on off on off; do
  echo "=== $(date -u +%H:%M:%S) latency set, PostgreSQL, cold users, kept states $cache; uptime: $(uptime)"
  if [ $cache = on ]; then
    bench $L --storage "$pg" --out $out/latency-postgres-$cache-$(date -u +%H%M).json
  else
    bench $L --storage "$pg" --silo "Inference:HistoryCacheMegabytes=0" --out $out/latency-postgres-$cache-$(date -u +%H%M).json
  fi
done
echo "=== $(date -u +%H:%M:%S) done; uptime: $(uptime)"
