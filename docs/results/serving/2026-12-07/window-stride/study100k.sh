#!/bin/bash
cd /work/main
source /tmp/r62/study.sh
for s in 42 1 2; do
  while [ ! -f /tmp/r62/ml100k-s$s/manifest.json ]; do sleep 20; done
  ( run 1 ml100k-s$s ../shared/datasets/ml-100k --max-history 100,200,1024 --strides 8,16,32,64 --threads 1 --out /tmp/r62/stride-ml100k-s$s.json
    run 1 ml100k-s$s ../shared/datasets/ml-100k --max-history 32 --strides 8,16,32 --threads 1 --out /tmp/r62/stride32-ml100k-s$s.json ) > /tmp/r62/stride-ml100k-s$s.txt
done
echo "study100k done $(date)" >> /tmp/r62/done.txt
