#!/usr/bin/env bash
# The app's default task command (the 'task' process): what runs when no -Command is given.
echo "training-app: nightly housekeeping done"
