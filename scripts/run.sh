#!/usr/bin/env bash
# The main job: set up, then train and evaluate popularity and SASRec on the built-in synthetic data.
# Pass other benchmark options to override, e.g. `bash scripts/run.sh --data ../shared/datasets/ml-100k`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
args=("$@")
if [ ${#args[@]} -eq 0 ]; then
  args=(--data synthetic --models popularity,sasrec --quick)
fi
exec dotnet trainer/HyMiRec.Trainer/bin/Release/net10.0/trainer.dll benchmark "${args[@]}"
