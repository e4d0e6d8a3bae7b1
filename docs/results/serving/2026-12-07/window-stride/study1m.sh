#!/bin/bash
cd /work/main
source /tmp/r62/study.sh
while [ ! -f /tmp/r62/ml1m-s42/manifest.json ]; do sleep 20; done

( run 0 ml1m-s42 ../shared/datasets/ml-1m --max-history 200,1024 --strides 8,16,32,64 --threads 1 --out /tmp/r62/stride-ml1m-s42.json
  run 0 ml1m-s42 ../shared/datasets/ml-1m --max-history 32,100 --strides 8,16,32 --threads 1 --out /tmp/r62/stride32-ml1m-s42.json ) > /tmp/r62/stride-ml1m-s42.txt
echo "study1m done $(date)" >> /tmp/r62/done.txt
