#!/bin/bash
# Kept history states: recompute bench at 1,000, 500 and 50 events, cache on and off alternately, then the latency set.
cd /work/main
out=docs/results/serving/2026-12-07/kept-states
mkdir -p $out
bench() { DOTNET_ENVIRONMENT=Development dotnet bench/HyMiRec.Serving.Bench/bin/Release/net10.0/hymirec-serving-bench.dll "$@"; }
off="Inference:HistoryCacheMegabytes=0"
L="--clicks 10000 --users 10000 --prefill 50 --rate 500 --modes EveryEvent --read-rate 200 --warmup-s 10"
for H in 1000 500 50; do
  for cache in on off; do
    echo "=== $(date -u +%H:%M:%S) recompute --history $H, kept states $cache; uptime: $(uptime)"
    if [ $cache = on ]; then
      bench recompute --concurrency 1,16,64 --rounds 8 --history $H --out $out/recompute-h$H-$cache.json
    else
      bench recompute --concurrency 1,16,64 --rounds 8 --history $H --silo "$off" --out $out/recompute-h$H-$cache.json
    fi
  done
done
for cache in on off; do
  echo "=== $(date -u +%H:%M:%S) latency set, memory, warm users, kept states $cache; uptime: $(uptime)"
  if [ $cache = on ]; then
    bench $L --keep-active 1 --out $out/latency-memory-$cache.json
  else
    bench $L --keep-active 1 --silo "$off" --out $out/latency-memory-$cache.json
  fi
done
echo "=== $(date -u +%H:%M:%S) done; uptime: $(uptime)"
