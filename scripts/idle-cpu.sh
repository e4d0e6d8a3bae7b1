#!/bin/bash
# Idle CPU of a silo with the embedded Kafka (8 partitions) and no traffic: process CPU time (utime + stime from
# /proc/PID/stat) over MEASURE_S seconds, starting WARM_S seconds after /healthz/ready, and the share per thread
# name. Usage: bash scripts/idle-cpu.sh [WARM_S=60] [MEASURE_S=60] [extra silo settings, e.g. --Kafka:ReadWaitMs=100]
# Needs a Release build (dotnet build HyMiRec.sln -c Release). Numbers in docs/benchmarks-kafka.md.
set -euo pipefail
warm=${1:-60}; measure=${2:-60}; shift $(( $# > 2 ? 2 : $# ))
root=$(cd "$(dirname "$0")/.." && pwd)
model=$(mktemp -d); log=$(mktemp)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
DOTNET_ENVIRONMENT=Development dotnet "$root/silo/HyMiRec.Silo/bin/Release/net10.0/hymirec-silo.dll" \
  --Model:ArtifactDirectory="$model" --Model:CreateUntrainedIfMissing=true --Kafka:Enabled=true --Kafka:Partitions=8 \
  --urls="http://127.0.0.1:$port" --Logging:LogLevel:Default=Warning "$@" > "$log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; rm -rf "$model" "$log"' EXIT
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$port/healthz/ready" > /dev/null && break; sleep 1; done
sleep "$warm"
snapshot() { for t in /proc/$pid/task/*; do echo "$(tr ' ' '_' < "$t/comm") $(sed 's/.*) //' "$t/stat" | awk '{print $12 + $13}')"; done; }
ticks() { sed 's/.*) //' /proc/$pid/stat | awk '{print $12 + $13}'; }
snapshot > "$log.a"; a=$(ticks)
sleep "$measure"
snapshot > "$log.b"; b=$(ticks)
echo "uptime: $(uptime)"
echo "process CPU, % of one core: $(echo "scale=2; 100 * ($b - $a) / $(getconf CLK_TCK) / $measure" | bc)"
echo "clock ticks by thread name (threads alive at both snapshots):"
awk 'NR==FNR { a[$1] += $2; next } { b[$1] += $2 } END { for (k in b) if (b[k] - a[k] > 0) print b[k] - a[k], k }' "$log.a" "$log.b" | sort -rn | head -12
rm -f "$log.a" "$log.b"
