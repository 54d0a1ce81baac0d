"""The Linux desktop integration files: .desktop entry, AppStream metainfo, MIME type,
icons. Validated with the freedesktop tools when they are installed (Debian packages
desktop-file-utils and appstream, listed in packaging/setup.sh)."""

from __future__ import annotations

import configparser
import os
import shutil
import struct
import subprocess
from pathlib import Path

import defusedxml.ElementTree as ET
import pytest

ROOT = Path(__file__).resolve().parents[2]
LINUX = ROOT / "packaging" / "linux"
APP_ID = "io.github.stancemark.Stancemark"
DESKTOP = LINUX / f"{APP_ID}.desktop"
METAINFO = LINUX / f"{APP_ID}.metainfo.xml"
MIME = LINUX / f"{APP_ID}.mime.xml"
MIME_NS = "{http://www.freedesktop.org/standards/shared-mime-info}"
MIME_TYPE = "application/x-stancemark-store"


def _run(*cmd: str) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120)


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None,
                    reason="desktop-file-validate not installed (desktop-file-utils)")
def test_desktop_entry_validates():
    result = _run("desktop-file-validate", str(DESKTOP))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "error:" not in result.stdout


@pytest.mark.skipif(shutil.which("appstreamcli") is None,
                    reason="appstreamcli not installed (appstream)")
def test_metainfo_validates():
    result = _run("appstreamcli", "validate", "--no-net", str(METAINFO))
    assert result.returncode == 0, result.stdout + result.stderr


def test_desktop_entry_opens_store_files():
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str
    entry.read(DESKTOP, encoding="utf-8")
    d = entry["Desktop Entry"]
    assert d["Exec"].split()[-1] == "%f"
    assert MIME_TYPE in d["MimeType"].split(";")
    assert d["Icon"] == APP_ID
    assert {"Office", "Education", "Science"} <= set(d["Categories"].split(";"))


def test_metainfo_points_at_the_desktop_entry_and_binary():
    root = ET.parse(METAINFO).getroot()
    assert root.findtext("id") == APP_ID
    assert root.findtext("launchable") == DESKTOP.name
    assert root.findtext("provides/binary") == "stancemark"
    assert root.find("content_rating") is not None
    shot = root.findtext("screenshots/screenshot/image")
    assert shot.endswith("resources/screenshots/main-window.png")
    from stancemark import __version__

    assert root.find("releases/release").get("version") == __version__


def test_mime_magic_matches_a_real_store(repo, store_path):
    """The magic bytes in the MIME XML are those a store file really carries."""
    repo.close()
    header = store_path.read_bytes()[:100]
    mime = ET.parse(MIME).getroot().find(f"{MIME_NS}mime-type")
    assert mime.get("type") == MIME_TYPE
    assert mime.find(f"{MIME_NS}glob").get("pattern") == "*.stancemark"
    outer = mime.find(f"{MIME_NS}magic/{MIME_NS}match")
    inner = outer.find(f"{MIME_NS}match")
    prefix = outer.get("value").replace("\\000", "\0").encode()
    assert header.startswith(prefix)
    assert inner.get("type") == "big32"
    offset, value = int(inner.get("offset")), int(inner.get("value"), 16)
    assert struct.unpack(">I", header[offset:offset + 4])[0] == value


@pytest.mark.skipif(shutil.which("update-mime-database") is None,
                    reason="update-mime-database not installed (shared-mime-info)")
def test_mime_database_accepts_the_type(tmp_path):
    (tmp_path / "packages").mkdir()
    shutil.copy(MIME, tmp_path / "packages" / f"{APP_ID}.xml")
    result = _run("update-mime-database", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "types").read_text().split() == [MIME_TYPE]
    assert f"{MIME_TYPE}:*.stancemark" in (tmp_path / "globs2").read_text()


@pytest.mark.parametrize("size", [16, 32, 48, 64, 128, 256, 512])
def test_png_icon_sizes(size):
    data = (ROOT / "resources" / "icons" / f"stancemark-{size}.png").read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", data[16:24]) == (size, size)


def test_install_script_puts_everything_in_place(tmp_path):
    """install.sh against a stand-in frozen app, into a temporary prefix, then uninstall."""
    dist = tmp_path / "dist" / "stancemark"
    dist.mkdir(parents=True)
    (dist / "stancemark").write_text("#!/bin/sh\necho stancemark 0\n")
    (dist / "stancemark").chmod(0o755)
    prefix, opt = tmp_path / "prefix", tmp_path / "opt"
    args = ["bash", str(LINUX / "install.sh"), "--dist", str(dist), "--prefix", str(prefix),
            "--opt", str(opt)]
    result = _run(*args)
    assert result.returncode == 0, result.stderr
    share = prefix / "share"
    entry = (share / "applications" / DESKTOP.name).read_text()
    assert f"Exec={opt / 'stancemark' / 'stancemark'} %f" in entry
    assert (prefix / "bin" / "stancemark").resolve() == (opt / "stancemark" / "stancemark")
    assert (share / "icons/hicolor/48x48/apps" / f"{APP_ID}.png").is_file()
    assert (share / "icons/hicolor/scalable/apps" / f"{APP_ID}.svg").is_file()
    assert (share / "icons/hicolor/256x256/mimetypes/application-x-stancemark-store.png").is_file()
    assert (share / "mime/packages" / f"{APP_ID}.xml").is_file()
    assert (share / "metainfo" / METAINFO.name).is_file()
    result = _run(*args, "--uninstall")
    assert result.returncode == 0, result.stderr
    assert not (opt / "stancemark").exists()
    assert not (share / "applications" / DESKTOP.name).exists()
    assert not (prefix / "bin" / "stancemark").exists()


@pytest.mark.skipif(shutil.which("fc-list") is None, reason="fc-list not installed (fontconfig)")
def test_install_script_names_the_font_packages_when_scripts_lack_a_font(tmp_path):
    """The frozen app bundles no fonts (it uses the system's): install.sh says which
    scripts no installed font covers and which packages bring them."""
    dist = tmp_path / "dist" / "stancemark"
    dist.mkdir(parents=True)
    (dist / "stancemark").write_text("#!/bin/sh\necho stancemark 0\n")
    (dist / "stancemark").chmod(0o755)
    empty = tmp_path / "fonts.conf"  # a fontconfig that knows no font at all
    empty.write_text("<?xml version='1.0'?><fontconfig><cachedir>"
                     f"{tmp_path / 'fc-cache'}</cachedir></fontconfig>")
    args = ["bash", str(LINUX / "install.sh"), "--dist", str(dist),
            "--prefix", str(tmp_path / "prefix"), "--opt", str(tmp_path / "opt")]
    result = subprocess.run(args, capture_output=True, text=True, timeout=120,
                            env={**os.environ, "FONTCONFIG_FILE": str(empty)})
    assert result.returncode == 0, result.stderr
    assert "no font for ar he zh ja ko colour-emoji" in result.stdout
    assert "fonts-noto-core fonts-noto-cjk fonts-noto-color-emoji" in result.stdout
    fonts = subprocess.run(["fc-list", ":lang=ar", "family"], capture_output=True, text=True)
    emoji = subprocess.run(["fc-list", ":color=True", "family"], capture_output=True, text=True)
    if fonts.stdout.strip() and emoji.stdout.strip():  # setup.sh installed the Noto fonts
        result = _run(*args)
        assert "no font for" not in result.stdout
