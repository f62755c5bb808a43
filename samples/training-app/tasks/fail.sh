#!/usr/bin/env bash
# A task that fails: Cloud Foundry marks it FAILED with "Exited with status 3".
echo "checking the training database schema"
echo "schema version 41 is older than the required 42" >&2
exit 3
