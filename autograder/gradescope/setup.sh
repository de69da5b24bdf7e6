#!/usr/bin/env bash
# Gradescope runs this once, as root, on its Ubuntu 22.04 image, to build the image the
# autograder runs in: Python 3.11 and the course's pinned environment in /opt/cvcourse/venv.
set -euo pipefail
SRC="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
VENV="${CV_VENV:-/opt/cvcourse/venv}"

PY="$(command -v python3.11 || true)"
if [ -z "$PY" ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -y
  apt-get install -y --no-install-recommends python3.11 python3.11-venv util-linux
  PY="$(command -v python3.11)"
fi
"$PY" -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet --upgrade pip
# The CPU build of torch: PyTorch's CPU index where it is reachable, else the pinned release.
"$VENV/bin/pip" install --quiet --timeout 30 --retries 1 \
    --index-url https://download.pytorch.org/whl/cpu "torch==2.13.0" \
  || "$VENV/bin/pip" install --quiet "torch==2.13.0"
"$VENV/bin/pip" install --quiet -r "$SRC/requirements.txt"
# The grader and helpers stay in $SRC (readable by root only while grading).
chmod 755 /opt /opt/cvcourse "$VENV"
echo "environment ready: $("$VENV/bin/python" --version)"
