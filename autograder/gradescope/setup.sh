#!/usr/bin/env bash
# Gradescope runs this once, as root, on its Ubuntu 22.04 image, to build the image the
# autograder runs in: Python 3.11 and the course's pinned environment in /opt/cvcourse/venv.
set -euo pipefail
SRC="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
VENV="${CV_VENV:-/opt/cvcourse/venv}"

# The Python the pins need, read from the pins ("# requires-python >= 3.X" in requirements.txt),
# that can make a venv. Ubuntu 22.04 ships 3.10; 3.11 comes from its archive.
MINOR="$(sed -n 's/^# requires-python >= 3\.\([0-9][0-9]*\).*/\1/p' "$SRC/requirements.txt" | head -n1)"
if [ -z "$MINOR" ]; then
  echo "requirements.txt does not say which Python it needs ('# requires-python >= 3.X')" >&2
  exit 1
fi
pick_python() {
  for name in "python3.$MINOR" python3.13 python3.12 python3.11 python3; do
    local py
    py="$(command -v "$name")" || continue
    if "$py" -c "import sys, ensurepip, venv; sys.exit(sys.version_info < (3, $MINOR))" 2>/dev/null; then
      echo "$py"; return 0
    fi
  done
  return 1
}
if [ -n "${CV_SETUP_PICK_ONLY:-}" ]; then  # tests: which Python would be used, then stop
  pick_python || { echo "none (would install python3.$MINOR)"; }
  exit 0
fi
PY="$(pick_python)" || {
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -y
  apt-get install -y --no-install-recommends "python3.$MINOR" "python3.$MINOR-venv" util-linux
  PY="$(pick_python)"
}
"$PY" -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet --upgrade pip
# The CPU build of torch: from PyTorch's CPU index where it is reachable (Gradescope), else
# the pinned release as the package index serves it.
TORCH_INDEX=https://download.pytorch.org/whl/cpu
TORCH_PIN="$(grep -E '^torch==' "$SRC/requirements.txt" | head -n1)"
if "$VENV/bin/python" -c "import urllib.request as u; u.urlopen('$TORCH_INDEX/torch/', timeout=10)" 2>/dev/null; then
  "$VENV/bin/pip" install --quiet --index-url "$TORCH_INDEX" "$TORCH_PIN"
else
  "$VENV/bin/pip" install --quiet "$TORCH_PIN"
fi
"$VENV/bin/pip" install --quiet -r "$SRC/requirements.txt"
# The grader and helpers stay in $SRC (readable by root only while grading).
chmod 755 /opt /opt/cvcourse "$VENV"
echo "environment ready: $("$VENV/bin/python" --version)"
