#!/usr/bin/env bash
# A long task (ten minutes unless told how many seconds), to be stopped with Stop-CfTask.
seconds="${1:-600}"
for i in $(seq 1 "$seconds"); do
  echo "working... ${i}s"
  sleep 1
done
