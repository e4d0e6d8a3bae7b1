#!/bin/bash
# After the buffer reuse: the latency set (memory warm, PostgreSQL cold) on and off, and recompute at 1,000 events on.
cd /work/main
out=docs/results/serving/2026-12-07/kept-states-buffer
mkdir -p $out
pg=$(PGPORT=55479 PGDATA_DIR=/tmp/hymirec-pg-w96 bash scripts/postgres.sh)
bench() { DOTNET_ENVIRONMENT=Development dotnet bench/HyMiRec.Serving.Bench/bin/Release/net10.0/hymirec-serving-bench.dll "$@"; }
off="Inference:HistoryCacheMegabytes=0"
L="--clicks 10000 --users 10000 --prefill 50 --rate 500 --modes EveryEvent --read-rate 200 --warmup-s 10"
for cache in on off on off; do
  echo "=== $(date -u +%H:%M:%S) latency set, PostgreSQL, cold users, kept states $cache; uptime: $(uptime)"
  if [ $cache = on ]; then bench $L --storage "$pg" --out $out/latency-postgres-$cache-$(date -u +%H%M).json
  else bench $L --storage "$pg" --silo "$off" --out $out/latency-postgres-$cache-$(date -u +%H%M).json; fi
done
for cache in on off; do
  echo "=== $(date -u +%H:%M:%S) latency set, memory, warm users, kept states $cache; uptime: $(uptime)"
  if [ $cache = on ]; then bench $L --keep-active 1 --out $out/latency-memory-$cache.json
  else bench $L --keep-active 1 --silo "$off" --out $out/latency-memory-$cache.json; fi
done
echo "=== $(date -u +%H:%M:%S) recompute --history 1000, kept states on; uptime: $(uptime)"
bench recompute --concurrency 1,16,64 --rounds 8 --history 1000 --out $out/recompute-h1000-on.json
echo "=== $(date -u +%H:%M:%S) done; uptime: $(uptime)"
