#!/bin/bash
cd /work/main
out=/tmp/r62
taskset -c 1 /usr/bin/time -v -o $out/ml1m-s1.time.txt dotnet /tmp/tb59/trainer.dll train --data ../shared/datasets/ml-1m --out $out/ml1m-s1 --epochs 16 --eval-every 2 --threads 1 --stage-one-epochs 7 --weight-decay 0.1 --seed 1 > $out/ml1m-s1.log 2>&1
echo "ml1m-s1 rc=$? $(date)" >> $out/done.txt
source /tmp/r62/study.sh
( run 1 ml1m-s1 ../shared/datasets/ml-1m --max-history 200,1024 --strides 8,16,32,64 --threads 1 --out /tmp/r62/stride-ml1m-s1.json
  run 1 ml1m-s1 ../shared/datasets/ml-1m --max-history 32,100 --strides 8,16,32 --threads 1 --out /tmp/r62/stride32-ml1m-s1.json ) > /tmp/r62/stride-ml1m-s1.txt
echo "study1m-s1 done $(date)" >> /tmp/r62/done.txt
