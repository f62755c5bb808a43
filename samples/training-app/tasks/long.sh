#!/usr/bin/env bash
# A long task (ten minutes), to be stopped with Stop-CfTask.
for i in $(seq 1 600); do
  echo "working... ${i}s"
  sleep 1
done
