#!/bin/sh
# The one install step: the Docker image runs it, and .ci/run runs it in a fresh venv.
# Dependencies come pinned, with hashes, from requirements.lock; then paperbot itself.
set -eu
cd "$(dirname "$0")/.."
PIP="${PIP:-pip}"
$PIP install --no-cache-dir --require-hashes -r requirements.lock
$PIP install --no-cache-dir --no-deps .
