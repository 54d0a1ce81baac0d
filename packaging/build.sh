#!/usr/bin/env bash
# Build the frozen one-folder application into dist/stancemark/ with one command:
#   bash packaging/build.sh
# Creates .venv if needed, installs the project with its `packaging` extra (PyInstaller)
# when PyInstaller is missing, then runs PyInstaller on packaging/stancemark.spec.
# Options:  --reinstall   reinstall the project and the extra even if present
# Environment: PYTHON (interpreter used to create .venv, default python3).
set -euo pipefail
cd "$(dirname "$0")/.."

reinstall=0
for arg in "$@"; do
  case "$arg" in
    --reinstall) reinstall=1 ;;
    *) echo "usage: bash packaging/build.sh [--reinstall]" >&2; exit 2 ;;
  esac
done

PY="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
  reinstall=1
fi
# Reinstalling an editable package briefly removes it, which would break anyone using
# the same .venv at that moment: only install when something is missing.
if [ "$reinstall" = 1 ] || ! .venv/bin/python -c "import PyInstaller, stancemark, PySide6" 2>/dev/null; then
  .venv/bin/python -m pip install -q --upgrade pip >/dev/null 2>&1 || true
  .venv/bin/python -m pip install -q -e ".[packaging]"
fi

.venv/bin/python -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath dist --workpath build/pyinstaller packaging/stancemark.spec
echo "Built dist/stancemark/ ($(du -sh dist/stancemark | cut -f1)); run dist/stancemark/stancemark"
