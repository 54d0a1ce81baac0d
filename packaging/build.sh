#!/usr/bin/env bash
# Build the frozen one-folder application into dist/stancemark/ with one command:
#   bash packaging/build.sh
# Creates .venv if needed and installs the project with its `packaging` extra
# (PyInstaller) through packaging/setup.sh when PyInstaller is missing, then runs
# PyInstaller on packaging/stancemark.spec. The result depends only on the system it
# runs on: build on the oldest Linux you support (glibc is not bundled).
# Options:  --reinstall   reinstall the project and the extra even if present
# Environment: PYTHON (interpreter used to create .venv, default python3; see setup.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

reinstall=0
for arg in "$@"; do
  case "$arg" in
    --reinstall) reinstall=1 ;;
    *) echo "usage: bash packaging/build.sh [--reinstall]" >&2; exit 2 ;;
  esac
done

# A fresh clone: setup.sh installs the Debian libraries Qt and PyInstaller need (on
# Debian-like systems), creates .venv and installs the project with the extra.
# Reinstalling an editable package briefly removes it, which would break anyone using
# the same .venv at that moment: only install when something is missing.
if [ "$reinstall" = 1 ] || [ ! -x .venv/bin/python ] \
    || ! .venv/bin/python -c "import PyInstaller, stancemark, PySide6" 2>/dev/null; then
  bash packaging/setup.sh --extras=packaging
fi

.venv/bin/python -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath dist --workpath build/pyinstaller packaging/stancemark.spec
echo "Built dist/stancemark/ ($(du -sh dist/stancemark | cut -f1)); run dist/stancemark/stancemark"
