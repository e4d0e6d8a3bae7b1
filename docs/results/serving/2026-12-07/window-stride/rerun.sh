#!/bin/bash
# The same studies again with the build that writes the intervals into the JSON (c3e4c29's JSON held them as {}).
cd /work/main
source /tmp/r62/study.sh
for s in 42 1 2; do
  ( run 0 ml100k-s$s ../shared/datasets/ml-100k --max-history 100,200,1024 --strides 8,16,32,64 --threads 1 --out /tmp/r62/stride-ml100k-s$s.json
    run 0 ml100k-s$s ../shared/datasets/ml-100k --max-history 32 --strides 8,16,32 --threads 1 --out /tmp/r62/stride32-ml100k-s$s.json ) > /tmp/r62/stride-ml100k-s$s.txt
done
( run 0 ml1m-s42 ../shared/datasets/ml-1m --max-history 200,1024 --strides 8,16,32,64 --threads 1 --out /tmp/r62/stride-ml1m-s42.json
  run 0 ml1m-s42 ../shared/datasets/ml-1m --max-history 32,100 --strides 8,16,32 --threads 1 --out /tmp/r62/stride32-ml1m-s42.json ) > /tmp/r62/stride-ml1m-s42.txt
echo "rerun done $(date)" >> /tmp/r62/done.txt
