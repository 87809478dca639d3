#!/bin/sh
# The README's main job: the example inventory deployed to fresh local emulators, a drift report of it, then the
# booking test of its rooms (the manual's "Test the calendar integration").
set -e
state=$(mktemp -d)
node bin/a4b-rooms.js local deploy examples/rooms.yaml --state "$state"
echo
node bin/a4b-rooms.js drift examples/rooms.yaml --local --state "$state"
echo
node bin/a4b-rooms.js test-booking examples/rooms.yaml --local --state "$state"
