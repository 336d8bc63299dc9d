#!/usr/bin/env bash
# Runs projen tasks in lanes, every lane at the same time; the tasks of one lane (one argument, names separated by
# spaces) run one after another, and a lane stops at its first failing task.
#
#   tools/lanes.sh eslint test:types                  # two lanes of one task each
#   tools/lanes.sh "eslint test:types" items:test     # two lanes, the first of two tasks
#
# `npx projen test` uses it after jest so that two single-threaded steps share the cores instead of queueing.
# The first lane's output streams; every other lane's output is printed, whole, once all lanes have ended.
# Exits 1 when a task of any lane failed, naming it.
set -uo pipefail

if [ "$#" -eq 0 ]; then
  echo "usage: $0 \"TASK [TASK ...]\" [\"TASK [TASK ...]\" ...]" >&2
  exit 2
fi

# Runs the tasks of a lane in order; prints the first failing one to fd 3 (the lane's status file).
run_lane() {
  for task in $1; do
    local start=$SECONDS
    if ! npx projen "$task"; then
      echo "$task" >&3
      return 1
    fi
    echo "lanes: $task took $((SECONDS - start)) s"
  done
}

dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
pids=()
i=0
for lane in "$@"; do
  if [ "$i" -eq 0 ]; then
    run_lane "$lane" 3>"$dir/$i.failed" &
  else
    run_lane "$lane" 3>"$dir/$i.failed" >"$dir/$i.log" 2>&1 &
  fi
  pids+=("$!")
  i=$((i + 1))
done

failed=()
i=0
for lane in "$@"; do
  rc=0
  wait "${pids[$i]}" || rc=$?
  if [ "$i" -gt 0 ]; then
    echo "lanes: ---- output of lane \"$lane\" ----"
    cat "$dir/$i.log"
  fi
  if [ -s "$dir/$i.failed" ]; then
    failed+=("$(cat "$dir/$i.failed")")
  elif [ "$rc" -ne 0 ]; then
    failed+=("lane \"$lane\" (exit $rc)")
  fi
  i=$((i + 1))
done

if [ "${#failed[@]}" -gt 0 ]; then
  echo "lanes: failed: ${failed[*]}" >&2
  exit 1
fi
echo "lanes: all passed: $*"
