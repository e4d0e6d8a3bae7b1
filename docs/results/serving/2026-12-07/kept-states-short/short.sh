#!/bin/bash
# Where kept states start to pay: recompute at 100 and 200 events, on and off.
cd /work/main
out=docs/results/serving/2026-12-07/kept-states-short
mkdir -p $out
bench() { DOTNET_ENVIRONMENT=Development dotnet bench/HyMiRec.Serving.Bench/bin/Release/net10.0/hymirec-serving-bench.dll "$@"; }
for H in 100 200; do
  for cache in on off on off; do
    echo "=== $(date -u +%H:%M:%S) recompute --history $H, kept states $cache; uptime: $(uptime)"
    if [ $cache = on ]; then bench recompute --concurrency 1,16,64 --rounds 8 --history $H --out $out/recompute-h$H-$cache-$(date -u +%H%M%S).json
    else bench recompute --concurrency 1,16,64 --rounds 8 --history $H --silo "Inference:HistoryCacheMegabytes=0" --out $out/recompute-h$H-$cache-$(date -u +%H%M%S).json; fi
  done
done
echo "=== $(date -u +%H:%M:%S) done; uptime: $(uptime)"
