#!/bin/bash
cd /work/main
out=/tmp/r62
for seed in 42 1 2; do
taskset -c 1 /usr/bin/time -v -o $out/ml100k-s$seed.time.txt dotnet /tmp/tb59/trainer.dll train --data ../shared/datasets/ml-100k --out $out/ml100k-s$seed --epochs 80 --eval-every 2 --batch-size 64 --threads 1 --seed $seed > $out/ml100k-s$seed.log 2>&1
echo "ml100k-s$seed rc=$? $(date)" >> $out/done.txt
done
