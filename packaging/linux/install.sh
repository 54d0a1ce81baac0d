#!/usr/bin/env bash
# Install the frozen Stancemark (dist/stancemark/, from packaging/build.sh) as a desktop
# application: menu entry, icons, MIME type for *.stancemark stores, AppStream metadata.
#
#   bash packaging/linux/install.sh            for this user: ~/.local/opt/stancemark,
#                                               ~/.local/bin, ~/.local/share
#   sudo bash packaging/linux/install.sh --system   for everyone: /opt/stancemark,
#                                               /usr/local/bin, /usr/local/share
#   ... --uninstall                             remove what the same mode installed
# Options: --dist DIR (frozen app folder, default dist/stancemark), --prefix DIR (where
# bin/ and share/ go) and --opt DIR (where the app folder goes), for packagers.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
APP_ID="io.github.stancemark.Stancemark"

mode=user
action=install
dist="$ROOT/dist/stancemark"
prefix=""
opt=""
while [ $# -gt 0 ]; do
  case "$1" in
    --system) mode=system ;;
    --uninstall) action=uninstall ;;
    --dist) dist="$2"; shift ;;
    --prefix) prefix="$2"; shift ;;
    --opt) opt="$2"; shift ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "install.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
if [ "$mode" = system ]; then
  prefix="${prefix:-/usr/local}"
  opt="${opt:-/opt}"
else
  prefix="${prefix:-$HOME/.local}"
  opt="${opt:-$HOME/.local/opt}"
fi
appdir="$opt/stancemark"
bindir="$prefix/bin"
share="$prefix/share"
SIZES="16 32 48 64 128 256 512"

refresh_caches() {
  # Each tool is optional: minimal systems and containers often lack them.
  if command -v update-desktop-database >/dev/null 2>&1; then
    update-desktop-database -q "$share/applications" || true
  fi
  if command -v update-mime-database >/dev/null 2>&1; then
    update-mime-database "$share/mime" >/dev/null || true
  fi
  if command -v gtk-update-icon-cache >/dev/null 2>&1 && [ -f "$share/icons/hicolor/index.theme" ]; then
    gtk-update-icon-cache -q -t "$share/icons/hicolor" || true
  fi
}

if [ "$action" = uninstall ]; then
  rm -rf "$appdir"
  rm -f "$bindir/stancemark" "$share/applications/$APP_ID.desktop" \
        "$share/metainfo/$APP_ID.metainfo.xml" "$share/mime/packages/$APP_ID.xml" \
        "$share/icons/hicolor/scalable/apps/$APP_ID.svg" \
        "$share/icons/hicolor/scalable/mimetypes/application-x-stancemark-store.svg"
  for s in $SIZES; do
    rm -f "$share/icons/hicolor/${s}x${s}/apps/$APP_ID.png" \
          "$share/icons/hicolor/${s}x${s}/mimetypes/application-x-stancemark-store.png"
  done
  refresh_caches
  echo "Stancemark removed from $appdir and $share (stores and settings are kept)"
  exit 0
fi

if [ ! -x "$dist/stancemark" ]; then
  echo "install.sh: no frozen app in $dist; build it first: bash packaging/build.sh" >&2
  exit 1
fi

# The app folder: replaced as a whole so no file of an older version lingers.
mkdir -p "$opt"
rm -rf "$appdir.new"
cp -a "$dist" "$appdir.new"
rm -rf "$appdir"
mv "$appdir.new" "$appdir"
mkdir -p "$bindir"
ln -sfn "$appdir/stancemark" "$bindir/stancemark"

# The app draws text in the system's fonts (the frozen app reads fontconfig's settings
# and fonts, it bundles none): articles in a script no installed font covers show empty
# boxes. Say which scripts lack a font, and the packages that bring them.
check_fonts() {
  command -v fc-list >/dev/null 2>&1 || return 0
  local lacking=() lang
  for lang in ar he zh ja ko; do
    [ -n "$(fc-list ":lang=$lang" family 2>/dev/null | head -n 1)" ] || lacking+=("$lang")
  done
  [ -n "$(fc-list ':color=True' family 2>/dev/null | head -n 1)" ] || lacking+=("colour-emoji")
  if ((${#lacking[@]})); then
    echo "note: no font for ${lacking[*]}: text in those scripts would show as boxes;"
    echo "      install fonts-noto-core fonts-noto-cjk fonts-noto-color-emoji (Debian, Ubuntu)"
    echo "      or google-noto-sans-arabic-fonts google-noto-sans-hebrew-fonts"
    echo "      google-noto-sans-cjk-fonts google-noto-color-emoji-fonts (Fedora)"
  fi
}

# Menu entry, with Exec pointing at the installed binary so it works even when
# $bindir is not on the PATH of the desktop session.
install -d "$share/applications" "$share/metainfo" "$share/mime/packages"
sed -e "s|^Exec=stancemark |Exec=$appdir/stancemark |" -e "s|^TryExec=stancemark$|TryExec=$appdir/stancemark|" \
  "$HERE/$APP_ID.desktop" > "$share/applications/$APP_ID.desktop"
chmod 644 "$share/applications/$APP_ID.desktop"
install -m 644 "$HERE/$APP_ID.metainfo.xml" "$share/metainfo/$APP_ID.metainfo.xml"
install -m 644 "$HERE/$APP_ID.mime.xml" "$share/mime/packages/$APP_ID.xml"

# Icons in the hicolor theme: the app icon, and the same mark for store files.
icons="$ROOT/resources/icons"
[ -d "$icons" ] || icons="$appdir/_internal/resources/icons"
for s in $SIZES; do
  install -D -m 644 "$icons/stancemark-$s.png" "$share/icons/hicolor/${s}x${s}/apps/$APP_ID.png"
  install -D -m 644 "$icons/stancemark-$s.png" \
    "$share/icons/hicolor/${s}x${s}/mimetypes/application-x-stancemark-store.png"
done
install -D -m 644 "$icons/stancemark.svg" "$share/icons/hicolor/scalable/apps/$APP_ID.svg"
install -D -m 644 "$icons/stancemark.svg" \
  "$share/icons/hicolor/scalable/mimetypes/application-x-stancemark-store.svg"

refresh_caches
check_fonts
echo "Stancemark installed: $appdir (command: $bindir/stancemark), menu entry and"
echo "*.stancemark file type in $share"
case ":$PATH:" in *":$bindir:"*) ;; *) echo "note: $bindir is not on your PATH" ;; esac
