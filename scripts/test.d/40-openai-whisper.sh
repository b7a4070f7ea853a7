#!/usr/bin/env bash
# The reference engine, openai-whisper, needs torch (PyPI's large CUDA build, run on the CPU),
# so it is an extra kept out of the default install. This stage installs it, converts the
# packaged weights to its checkpoint format and runs the tests marked `openai`: never skipped.
set -euo pipefail
start=$SECONDS
# About 3 GB of wheels: pip resumes a broken download (PIP_RESUME_RETRIES), and a whole
# install that still fails is tried again; wheels already fetched come from pip's cache.
for attempt in 1 2 3; do
  if python -m pip install --quiet --resume-retries "${PIP_RESUME_RETRIES:-30}" \
      -c requirements/constraints.txt ".[openai]"; then
    break
  fi
  [ "$attempt" -lt 3 ] || { echo "!! the openai extra could not be downloaded from PyPI (3 tries)"; exit 1; }
  echo "-- the download broke off; trying again ($attempt of 3)"
  sleep 15
done
rm -rf build ./*.egg-info
echo "-- openai extra installed in $((SECONDS - start)) s"
python manage.py convert_whisper_to_openai
export TRANSCRIPTION_OPENAI_STAGE=1 CI="${CI:-true}"
unset DATABASE_URL
exec scripts/pytest-stage.sh "openai-whisper" -m openai tests/transcription
