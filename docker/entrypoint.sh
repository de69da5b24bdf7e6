#!/usr/bin/env bash
# The grading container's entry point (docker/README.md). It grades, as the Gradescope zip does,
# with the trusted grader in $CV_COURSE_ROOT:
#
#   cv-entrypoint                  auto: $AUTOGRADER_ROOT/submission exists -> gradescope,
#                                  $CV_BATCH_ROOT/submissions exists -> batch
#   cv-entrypoint gradescope       grade $AUTOGRADER_ROOT (default /autograder): source/,
#                                  submission/, results/results.json (always written)
#   cv-entrypoint batch [ARGS]     grade $CV_BATCH_ROOT/submissions (default /grading) into
#                                  $CV_BATCH_ROOT/out; ARGS go to `python -m autograder batch`
#                                  (--jobs N, --scheduler ADDRESS, ...). With HW SUBMISSIONS
#                                  --out DIR as ARGS, exactly that batch.
#   cv-entrypoint worker [SCHEDULER] [dask worker options]  a Dask worker for batch grading
#                                  (the address may come from DASK_SCHEDULER_ADDRESS)
#   cv-entrypoint grade|zip|gpu-check ...                   python -m autograder ...
#   cv-entrypoint COMMAND ...      anything else runs as given (bash, say)
#
# The homework: $CV_HOMEWORK, else the HOMEWORK file in source/ (Gradescope) or in
# $CV_BATCH_ROOT (batch). Outside the image, CV_PYTHON and CV_COURSE_ROOT point it at a
# checkout (the tests do that).
set -uo pipefail

HERE="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
COURSE="${CV_COURSE_ROOT:-$(dirname "$HERE")}"
PY="${CV_PYTHON:-python}"
AG_ROOT="${AUTOGRADER_ROOT:-/autograder}"
BATCH_ROOT="${CV_BATCH_ROOT:-/grading}"
export CV_COURSE_ROOT="$COURSE"

say() { printf 'cv-entrypoint: %s\n' "$*" >&2; }

in_container() { [ -f /.dockerenv ] || [ -f /run/.containerenv ] || [ -n "${container:-}" ]; }

# cgroup v2 in a container (--cgroupns=private): the container's own cgroup is the root of
# what it sees, and a cgroup with processes in it cannot hand controllers to children. Move
# this container's processes into a leaf (cv-init) and enable memory and pids below the root,
# so the grader's per-sandbox cgroups get their limits. Without a writable cgroup tree the
# grader falls back to rlimits and says so. Only inside a container, only as root.
nest_cgroup() {
  local cg=/sys/fs/cgroup
  [ "${CV_NEST_CGROUP:-auto}" = never ] && return 0
  if [ "${CV_NEST_CGROUP:-auto}" = auto ]; then in_container || return 0; fi
  [ "$(id -u)" = 0 ] && [ -f "$cg/cgroup.controllers" ] || return 0
  grep -qx '0::/' /proc/self/cgroup 2>/dev/null || return 0  # not the root of a cgroupns
  if [ ! -w "$cg/cgroup.procs" ] || ! touch "$cg/.cv-writable" 2>/dev/null; then
    mount -o remount,rw "$cg" 2>/dev/null || { say "cgroup tree is read-only: memory limits by rlimit"; return 0; }
  fi
  rm -f "$cg/.cv-writable"
  mkdir -p "$cg/cv-init" 2>/dev/null || return 0
  local pid
  while read -r pid; do echo "$pid" > "$cg/cv-init/cgroup.procs" 2>/dev/null || true; done < "$cg/cgroup.procs"
  local ctl
  for ctl in memory pids; do
    grep -qw "$ctl" "$cg/cgroup.controllers" && echo "+$ctl" > "$cg/cgroup.subtree_control" 2>/dev/null
  done
  return 0
}

homework_from() {  # $1: folder that may hold a HOMEWORK file
  if [ -n "${CV_HOMEWORK:-}" ]; then echo "$CV_HOMEWORK"; return 0; fi
  if [ -s "$1/HOMEWORK" ]; then tr -d '[:space:]' < "$1/HOMEWORK"; return 0; fi
  return 1
}

autograder() { (cd "$COURSE" && PYTHONPATH="$COURSE${PYTHONPATH:+:$PYTHONPATH}" "$PY" -m autograder "$@"); }

gradescope() {
  local results="$AG_ROOT/results/results.json"
  mkdir -p "$AG_ROOT/results"
  if [ -d "$AG_ROOT/source/autograder" ] && [ -s "$AG_ROOT/source/HOMEWORK" ]; then
    # A Gradescope zip unpacked in source/: its own grader and sources, exactly as on Gradescope.
    (cd "$AG_ROOT/source" && PYTHONPATH="$AG_ROOT/source" CV_COURSE_ROOT="$AG_ROOT/source" \
      "$PY" -m autograder gradescope --root "$AG_ROOT")
  else
    local hw
    if hw="$(homework_from "$AG_ROOT/source")"; then
      autograder grade "$hw" "$AG_ROOT/submission" --results "$results"
    else
      say "no homework named: set CV_HOMEWORK or write it in $AG_ROOT/source/HOMEWORK"
    fi
  fi
  if [ ! -s "$results" ]; then
    printf '%s\n' '{"score": 0.0, "output": "The autograder could not start; your instructors have the log. Please let them know.", "visibility": "visible", "stdout_visibility": "hidden", "tests": []}' > "$results"
  fi
  return 0
}

batch() {
  if [ $# -ge 2 ] && [ "${1#-}" = "$1" ]; then  # explicit: HW SUBMISSIONS --out DIR ...
    autograder batch "$@"; return $?
  fi
  local hw
  hw="$(homework_from "$BATCH_ROOT")" || {
    say "no homework named: set CV_HOMEWORK or write it in $BATCH_ROOT/HOMEWORK"; return 2; }
  autograder batch "$hw" "$BATCH_ROOT/submissions" --out "$BATCH_ROOT/out" "$@"
}

nest_cgroup
cmd=auto  # options alone (cv-entrypoint --jobs 4) go to the command found
if [ $# -gt 0 ] && [ "${1#-}" = "$1" ]; then cmd="$1"; shift; fi
if [ "$cmd" = auto ]; then
  if [ -d "$AG_ROOT/submission" ]; then cmd=gradescope
  elif [ -d "$BATCH_ROOT/submissions" ]; then cmd=batch
  else
    say "nothing to grade: mount a Gradescope-shaped folder at $AG_ROOT (source/, submission/,"
    say "results/) or a batch at $BATCH_ROOT (submissions/, out/), or give a command."
    exit 2
  fi
fi
case "$cmd" in
  gradescope) gradescope ;;
  batch) batch "$@" ;;
  worker)
    [ $# -ge 1 ] || [ -n "${DASK_SCHEDULER_ADDRESS:-}" ] || {
      say "usage: worker SCHEDULER_ADDRESS [dask worker options] (or set DASK_SCHEDULER_ADDRESS)"; exit 2; }
    cd "$COURSE" && exec "$PY" -m distributed.cli.dask_worker "$@" --nthreads 1 ;;
  grade|zip) autograder "$cmd" "$@" ;;
  gpu-check) cd "$COURSE" && exec "$PY" -m autograder.gpu_check "$@" ;;
  *) exec "$cmd" "$@" ;;
esac
