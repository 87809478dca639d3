#!/usr/bin/env bash
# CI on a busy machine: two CPU-bound busy loops run beside `.ci/run`, which runs RUNS times in a row (default 3) with
# TEST_TIME_SCALE (default 3) stretching the tests' time bounds. Prints each run's wall time and exit code; exits
# non-zero if any run failed. Usage: RUNS=3 TEST_TIME_SCALE=3 bash scripts/ci-under-load.sh
set -uo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-3}
export TEST_TIME_SCALE=${TEST_TIME_SCALE:-3}
loops=()
stop_loops() {
  for pid in "${loops[@]}"; do kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; done
  loops=()
}
trap stop_loops EXIT
trap 'exit 130' INT TERM
for _ in 1 2; do
  node -e 'for (;;) {}' &
  loops+=($!)
done
echo "busy loops: PIDs ${loops[*]}; $runs runs of .ci/run with TEST_TIME_SCALE=$TEST_TIME_SCALE"
failed=0
results=()
for i in $(seq 1 "$runs"); do
  start=$SECONDS
  bash .ci/run > "ci-under-load.$i.log" 2>&1
  code=$?
  results+=("run $i: exit $code, $((SECONDS - start)) s (log: ci-under-load.$i.log)")
  echo "${results[-1]}"
  [ "$code" -eq 0 ] || failed=1
done
printf '%s\n' "${results[@]}"
exit "$failed"
