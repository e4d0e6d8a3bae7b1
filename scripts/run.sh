#!/usr/bin/env bash
# The main job: set up, train a small HyMiRec model (once), then start a silo with embedded Kafka and PostgreSQL
# (or an announced in-memory fallback), replay clicks into Kafka, and show a user's interests and recommendations
# while clicks flow. The silo keeps running until Ctrl-C.
# Environment: HYMIREC_DATA (a dataset directory the trainer recognises: MovieLens 100K/1M, RecBole NAME.inter, or a
# SASRec-style NAME.txt of "user item" lines; or "synthetic"; unset: ../shared/datasets/ml-100k, synthetic data when absent),
# HYMIREC_STORE (model store, default artifacts/model-store), HYMIREC_EPOCHS (default 15, per candidate), HYMIREC_RATE (clicks/s, 200),
# HYMIREC_SELECT (default 1: train the three models of `train --select` and serve the best on validation NDCG@10,
# about three times the training time of one model; 0: train the default model only).
# `bash scripts/run.sh benchmark ...` runs `trainer benchmark ...` instead.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

trainer=trainer/HyMiRec.Trainer/bin/Release/net10.0/trainer.dll
silo=silo/HyMiRec.Silo/bin/Release/net10.0/hymirec-silo.dll
cli=client/HyMiRec.Cli/bin/Release/net10.0/hymirec.dll
if [ "${1:-}" = benchmark ]; then
  exec dotnet "$trainer" "$@"
fi

store=${HYMIREC_STORE:-artifacts/model-store}
epochs=${HYMIREC_EPOCHS:-15}
rate=${HYMIREC_RATE:-200}
selection=()
if [ "${HYMIREC_SELECT:-1}" != 0 ]; then
  selection=(--select)
fi
mkdir -p artifacts
clicks=artifacts/demo-clicks.jsonl
# A named dataset is used or the script stops: falling back to synthetic data would demo something else unnoticed.
# The trainer recognises the format and names the file and line of anything it cannot read.
if [ -n "${HYMIREC_DATA:-}" ]; then
  data=$HYMIREC_DATA
  if [ "$data" != synthetic ] && [ ! -d "$data" ]; then
    echo "run.sh: HYMIREC_DATA=$data is not a directory; give a MovieLens, RecBole (NAME.inter) or SASRec-style (NAME.txt) dataset directory, or 'synthetic'" >&2
    exit 1
  fi
elif [ -d ../shared/datasets/ml-100k ]; then
  data=../shared/datasets/ml-100k
else
  echo "run.sh: HYMIREC_DATA is not set and ../shared/datasets/ml-100k is absent; using the built-in synthetic dataset" >&2
  data=synthetic
fi

if [ ! -f "$store/CURRENT" ] || [ ! -f "$clicks" ]; then
  echo "run.sh: training a small HyMiRec model on $data ($epochs epochs${selection:+ per candidate, chosen on validation}) into the model store $store" >&2
  dotnet "$trainer" train --data "$data" --epochs "$epochs" "${selection[@]}" --store "$store" --export-clicks "$clicks"
else
  echo "run.sh: serving the model already in $store (remove $store and $clicks to train on $data instead)" >&2
fi

if connection=$(bash scripts/postgres.sh 2>artifacts/postgres.err); then
  echo "run.sh: user state in PostgreSQL ($connection)" >&2
else
  echo "run.sh: WARNING: PostgreSQL could not be started (artifacts/postgres.err); user state is kept IN MEMORY only" >&2
  connection=
fi

log=artifacts/silo.log
# Development: the HTTP API answers the curl calls below without tokens (the silo logs that it is open); every
# other environment needs JWT bearer tokens and Auth:SigningKey (docs/operations.md).
DOTNET_ENVIRONMENT=Development dotnet "$silo" "--Model:StoreDirectory=$(realpath "$store")" --Kafka:Enabled=true "--Storage:ConnectionString=$connection" >"$log" 2>&1 &
silo_pid=$!
producer_pid=
trap 'kill $producer_pid $silo_pid 2>/dev/null || true; wait 2>/dev/null || true' EXIT INT TERM

echo "run.sh: silo starting (log: $log)" >&2
for _ in $(seq 1 180); do
  if ! kill -0 "$silo_pid" 2>/dev/null; then
    tail -n 40 "$log" >&2
    echo "run.sh: the silo stopped during start-up" >&2
    exit 1
  fi
  if curl -fs http://127.0.0.1:5080/healthz >/dev/null 2>&1; then
    break
  fi
  sleep 1
done
curl -fs http://127.0.0.1:5080/healthz >/dev/null || { echo "run.sh: the silo did not become healthy in 180 s" >&2; exit 1; }

bootstrap=$(grep -o 'hymirec produce --bootstrap [^ ]*' "$log" | head -n 1 | awk '{print $4}')
if [ -z "$bootstrap" ]; then
  echo "run.sh: no embedded Kafka address in $log" >&2
  exit 1
fi

echo "run.sh: replaying $clicks into Kafka at $bootstrap, $rate clicks/s" >&2
dotnet "$cli" produce --bootstrap "$bootstrap" --file "$clicks" --rate "$rate" >artifacts/produce.log 2>&1 &
producer_pid=$!

user=$(head -n 1 "$clicks" | sed -E 's/.*"userId":"([^"]*)".*/\1/')
echo "run.sh: waiting for user $user's interests" >&2
for _ in $(seq 1 120); do
  if curl -fs "http://127.0.0.1:5080/v1/users/$user/interests" >/dev/null 2>&1; then
    break
  fi
  sleep 1
done

echo "--- curl http://127.0.0.1:5080/v1/users/$user/history?limit=5"
curl -s "http://127.0.0.1:5080/v1/users/$user/history?limit=5"; echo
echo "--- curl http://127.0.0.1:5080/v1/users/$user/recommendations?k=5"
curl -s "http://127.0.0.1:5080/v1/users/$user/recommendations?k=5"; echo
cat <<EOM

The silo is running (HTTP on http://127.0.0.1:5080, Orleans gateway 30000, Kafka at $bootstrap) and clicks keep
arriving. Try:
  curl -s http://127.0.0.1:5080/v1/users/$user/interests
  dotnet $cli recommend $user -k 10
  dotnet $cli history $user --limit 20
Retrain from the click log, gate on each user's newest clicks, publish, and watch the silo switch:
  dotnet $trainer retrain --bootstrap $bootstrap --store $store --warm-start --epochs 5 --gateway-port 30000 \\
    --gate-metrics ndcg@10,recall@50,ndcg@50 --gate-tolerance 0.005 --gate-min-users 200 --gate-max-halfwidth 0.02
Ctrl-C stops the silo and the producer.
EOM
wait "$silo_pid"
