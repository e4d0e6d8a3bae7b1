#!/bin/bash
# usage: study.sh CORE NAME DATA
cd /work/main
out=/tmp/r62
run() { echo "\$ trainer window-stride --model $out/$2 --data $3 ${@:4}" ; uptime; taskset -c $1 dotnet /tmp/tb62c/trainer.dll window-stride --model $out/$2 --data $3 "${@:4}" 2>&1; uptime; }
