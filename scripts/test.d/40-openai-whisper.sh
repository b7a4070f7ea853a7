#!/usr/bin/env bash
# The reference engine, openai-whisper, needs torch (PyPI's large CUDA build, run on the CPU),
# so it is an extra kept out of the default install. This stage installs it, converts the
# packaged weights to its checkpoint format and runs the tests marked `openai`: never skipped.
set -euo pipefail
start=$SECONDS
python -m pip install --quiet -c requirements/constraints.txt ".[openai]"
rm -rf build ./*.egg-info
echo "-- openai extra installed in $((SECONDS - start)) s"
python manage.py convert_whisper_to_openai
export TRANSCRIPTION_OPENAI_STAGE=1 CI="${CI:-true}"
unset DATABASE_URL
exec scripts/pytest-stage.sh "openai-whisper" -m openai tests/transcription
