#!/usr/bin/env bash
# Set up a development/run environment on a fresh Debian-like machine:
#   system libraries Qt needs (offscreen and X11), a virtual environment in .venv,
#   and the project installed into it (editable).
# Usage: bash packaging/setup.sh [--test] [--extras LIST]
#   --test    also install the test extras (pytest, pytest-qt, hypothesis, ruff, pandas ...)
set -euo pipefail
cd "$(dirname "$0")/.."

extras=""
for arg in "$@"; do
  case "$arg" in
    --test) extras="${extras:+$extras,}test" ;;
    --extras=*) extras="${extras:+$extras,}${arg#--extras=}" ;;
  esac
done

# Debian packages: Qt's runtime libraries, fonts, and Xvfb + xcb libraries for the
# real-window screenshot test and for running the window without a screen.
DEB_PACKAGES=(
  libegl1 libgl1 libopengl0 libxkbcommon0 libfontconfig1 libglib2.0-0 libdbus-1-3
  fonts-dejavu-core xvfb
  # scripts the articles are written in: Arabic and Hebrew (noto-core), Chinese, Japanese
  # and Korean (noto-cjk), emoji in colour instead of empty boxes
  fonts-noto-core fonts-noto-cjk fonts-noto-color-emoji
  xauth libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0
  libxcb-render-util0 libxcb-shape0 libxcb-xkb1 libxkbcommon-x11-0 libxcb-randr0
  libxcb-xinerama0 libxcb-xfixes0 libx11-xcb1 desktop-file-utils appstream
  # packaging: PyInstaller reads ELF files with objdump; the MIME test compiles our type.
  binutils shared-mime-info
)
# The hub tests run against a real PostgreSQL server (Debian's, 14 or newer).
case ",$extras," in *,test,*) DEB_PACKAGES+=(postgresql) ;; esac
if command -v dpkg >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
  missing=()
  for p in "${DEB_PACKAGES[@]}"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
  done
  if ((${#missing[@]})); then
    SUDO=""
    [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1 && SUDO="sudo"
    echo "Installing Debian packages: ${missing[*]}"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
fi

PY="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip >/dev/null 2>&1 || true
if [ -n "$extras" ]; then
  .venv/bin/python -m pip install -q -e ".[$extras]"
else
  .venv/bin/python -m pip install -q -e .
fi
# An editable install leaves our own modules as sources: where bytecode may not be written
# (PYTHONDONTWRITEBYTECODE, a read-only checkout) every launch would compile ~40,000 lines
# again before the first window. Compile them once here, as pip does for an installed wheel
# and the frozen app does at build time; Python still recompiles a module whose source changed.
.venv/bin/python -m compileall -q -j 0 desktop/stancemark >/dev/null
echo "Stancemark is installed in .venv"
