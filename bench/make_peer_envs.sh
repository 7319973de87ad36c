#!/usr/bin/env bash
# One virtual environment per peer library, kept apart from the app's (their pins clash).
set -uo pipefail
cd "$(dirname "$0")/.."
PY=$(command -v python3.11 || command -v python3)

make_env() {  # name, then pip install steps separated by ';'
  local dir=$1; shift
  if [ -f "$dir/.ready" ]; then echo "$dir: ready"; return 0; fi
  rm -rf "$dir" && "$PY" -m venv "$dir" || return 1
  local ok=0
  while [ $# -gt 0 ]; do
    # shellcheck disable=SC2086
    "$dir/bin/pip" install -q --disable-pip-version-check $1 || ok=1
    shift
  done
  if [ $ok -eq 0 ]; then touch "$dir/.ready"; echo "$dir: ready"; return 0; fi
  echo "$dir: FAILED (make bench will refuse to run without it; --no-peers skips the peers)" >&2
  return 1
}

failed=0
make_env .venv-lightfm "setuptools<70 wheel cython numpy<2 scipy pandas pyarrow<18" "--no-build-isolation lightfm==1.17" || failed=1
make_env .venv-implicit "implicit==0.7.3 numpy<2 scipy pandas pyarrow<18" || failed=1
# Cornac 3.0.1 is built against NumPy 2, so its environment takes NumPy 2 (the others stay on 1.x).
make_env .venv-cornac "cornac==3.0.1 numpy==2.4.6 scipy==1.17.1 pandas==3.1.1 pyarrow==26.0.1" || failed=1
exit $failed
