#!/usr/bin/env bash
# The classic Cloud Foundry tasks lab: show the environment a task runs with.
# Careful: this writes every variable, secrets included, into the app's log.
printenv
