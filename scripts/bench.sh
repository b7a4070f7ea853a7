#!/usr/bin/env bash
# make bench (pages and withdrawal; make bench-transcription and bench-search run the others).
# Arguments pass through to bench/pages.py (--stories, --requests, --workers, --concurrency).
# Every bench runs even when an earlier one misses its target; the exit status reports any miss.
set -uo pipefail
cd "$(dirname "$0")/.."
status=0
.venv/bin/python bench/pages.py "$@" || status=1
# Withdrawal: the part the contributor waits for (issue 3 target: under 2 s).
.venv/bin/python bench/withdrawal.py --runs 5 || status=1
# Hostile and long recordings: peak memory of every ffmpeg step (issue 10: under 300 MB).
.venv/bin/python bench/hostile_media.py || status=1
# The purge of database files that follows a withdrawal, in the worker, at 200,000 passages
# (issue 10 target: under 60 s), on SQLite and on PostgreSQL; the archives are
# bench/search.py's, made the first time and reused.
.venv/bin/python bench/withdrawal.py --archive || status=1
.venv/bin/python bench/withdrawal.py --archive --postgres || status=1
# Reports (issue 12): the reports page at 10,000 stories / 200,000 passages (p95 < 200 ms)
# and the Leadership Forum PDF (< 10 s), in bench/search.py's archive.
.venv/bin/python bench/reports.py || status=1
# Reuse (issue 12): cut a 30 s captioned clip from a 10-minute recording (< 3 s) and export a
# 10-clip reel with burned-in captions (< 30 s), with peak memory of each.
.venv/bin/python bench/reuse.py || status=1
# Suggestions (issue 13): passages per second and peak memory, extrapolated to 200,000 (< 30 min).
.venv/bin/python bench/suggest.py || status=1
exit $status
