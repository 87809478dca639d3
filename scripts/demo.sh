#!/bin/sh
# The README's main job: the example inventory deployed to fresh local emulators, then a drift report of it.
set -e
state=$(mktemp -d)
node bin/a4b-rooms.js local deploy examples/rooms.yaml --state "$state"
echo
node bin/a4b-rooms.js drift examples/rooms.yaml --local --state "$state"
