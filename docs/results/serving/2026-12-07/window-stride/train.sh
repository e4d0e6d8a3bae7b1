#!/bin/bash
cd /work/main
out=/tmp/r62
( while true; do uptime >> $out/uptime.log; sleep 600; done ) &
up=$!
taskset -c 0 /usr/bin/time -v -o $out/ml1m-s42.time.txt dotnet /tmp/tb59/trainer.dll train --data ../shared/datasets/ml-1m --out $out/ml1m-s42 --epochs 26 --eval-every 2 --threads 1 --stage-one-epochs 11 --weight-decay 0.1 --seed 42 > $out/ml1m-s42.log 2>&1
echo "ml1m-s42 rc=$? $(date)" >> $out/done.txt
kill $up
