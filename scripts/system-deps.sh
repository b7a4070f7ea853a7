#!/usr/bin/env bash
# Install what the archive needs from Debian's packages, once. Idempotent and quiet when done.
set -euo pipefail
need=()
command -v ffmpeg >/dev/null || need+=(ffmpeg)
command -v espeak-ng >/dev/null || need+=(espeak-ng)
command -v sox >/dev/null || need+=(sox)
# The demo archive's title cards are drawn in DejaVu Sans.
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf ] || need+=(fonts-dejavu-core)
[ -x /usr/bin/chromium ] || need+=(chromium)
# Report PDFs and training-pack handouts: WeasyPrint lays out text with Pango; the tests read
# the PDFs back with pdftotext (poppler-utils).
ls /usr/lib/*/libpangoft2-1.0.so.0 >/dev/null 2>&1 || need+=(libpangoft2-1.0-0)
ls /usr/lib/*/libharfbuzz-subset.so.0 >/dev/null 2>&1 || need+=(libharfbuzz-subset0)
command -v pdftotext >/dev/null || need+=(poppler-utils)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
# The reference web tier (scripts/web-tier.sh, deploy/nginx.conf.template).
command -v nginx >/dev/null || need+=(nginx)
[ ${#need[@]} -eq 0 ] && exit 0
echo "Installing from Debian: ${need[*]}"
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
