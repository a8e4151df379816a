"""./dev's check that Qt's platform plugins can load, run against a fake plugin folder and fake
`ldd`, `id` and `apt-get` on PATH: it must name the Debian packages that provide what is missing,
install them where it can, and stop `./dev app` where it cannot."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT / "dev"

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="./dev's Qt check is for Linux")

# What ldd prints for Qt's xcb plugin on a fresh Debian machine (the two libraries).
XCB_MISSING = """\
\tlinux-vdso.so.1 (0x00007ffd)
\tlibQt6XcbQpa.so.6 => /venv/PySide6/Qt/lib/libQt6XcbQpa.so.6 (0x00007f00)
\tlibxcb-icccm.so.4 => not found
\tlibxcb-keysyms.so.1 => not found
\tlibxcb-icccm.so.4 => not found
\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f01)
"""


def _script(path: Path, text: str) -> None:
    path.write_text("#!/bin/sh\n" + text)
    path.chmod(0o755)


class Machine:
    """A fake machine: Qt's plugin folder, and the tools ./dev calls, on PATH first."""

    def __init__(self, tmp_path: Path, *, uid: int = 0) -> None:
        self.root = tmp_path
        self.plugins = tmp_path / "plugins"
        (self.plugins / "platforms").mkdir(parents=True)
        self.bin = tmp_path / "bin"
        self.bin.mkdir()
        self.installed = tmp_path / "installed"  # apt-get's record of what it installed
        self.reports: dict[str, str] = {}
        for platform in ("xcb", "offscreen", "wayland"):
            (self.plugins / "platforms" / f"libq{platform}.so").write_bytes(b"\x7fELF")
        _script(self.bin / "id", f'[ "$1" = -u ] && echo {uid} || echo "uid={uid}"\n')
        # apt-get: `update` does nothing; `install` records its packages, and from then on
        # ldd finds every library.
        _script(
            self.bin / "apt-get",
            f'case "$*" in *install*) echo "$@" >> "{self.installed}";; esac\n',
        )

    def ldd_reports(self, platform: str, output: str) -> None:
        self.reports[platform] = output
        cases = "".join(
            f'  */libq{name}.so) cat <<"LDD"\n{text}LDD\n  ;;\n'
            for name, text in self.reports.items()
        )
        _script(
            self.bin / "ldd",
            f'[ -f "{self.installed}" ] && exit 0\ncase "$1" in\n{cases}esac\n',
        )

    def dev(self, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
        environment = {
            **os.environ,
            "PATH": f"{self.bin}{os.pathsep}{os.environ['PATH']}",
            "ARCHIVE_READER_QT_PLUGINS": str(self.plugins),
            **env,
        }
        environment.pop("QT_QPA_PLATFORM", None)
        environment.pop("ARCHIVE_READER_REQUIRE_QT_XCB", None)
        environment.update(env)
        return subprocess.run(
            [str(DEV), *args], env=environment, capture_output=True, text=True, timeout=60
        )

    def apt_get_installed(self) -> list[str]:
        if not self.installed.exists():
            return []
        return self.installed.read_text().split()


@pytest.fixture
def machine(tmp_path: Path) -> Machine:
    made = Machine(tmp_path)
    made.ldd_reports("xcb", XCB_MISSING)
    made.ldd_reports("offscreen", "\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x1)\n")
    return made


def test_check_qt_names_the_debian_packages_the_xcb_plugin_misses(machine: Machine) -> None:
    result = machine.dev("check-qt")
    assert result.returncode == 1
    assert "xcb platform plugin cannot load" in result.stderr
    assert "libxcb-icccm.so.4 (libxcb-icccm4)" in result.stderr
    assert "libxcb-keysyms.so.1 (libxcb-keysyms1)" in result.stderr
    assert "sudo apt-get install libxcb-icccm4 libxcb-keysyms1\n" in result.stderr
    assert "offscreen" not in result.stderr  # the offscreen plugin finds everything
    assert machine.apt_get_installed() == []  # checking installs nothing


def test_check_qt_passes_when_the_plugins_find_every_library(machine: Machine) -> None:
    result = machine.dev("check-qt", "offscreen")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


@pytest.mark.parametrize(
    ("soname", "package"),
    [
        ("libxkbcommon-x11.so.0", "libxkbcommon-x11-0"),
        ("libxcb-cursor.so.0", "libxcb-cursor0"),
        ("libEGL.so.1", "libegl1"),
        ("libGL.so.1", "libgl1"),
        ("libfontconfig.so.1", "libfontconfig1"),
        ("libdbus-1.so.3", "libdbus-1-3"),
        ("libX11-xcb.so.1", "libx11-xcb1"),
        ("libglib-2.0.so.0", "libglib2.0-0"),
        ("libz.so.1", "zlib1g"),
        # not in the table: Debian's naming rule
        ("libxcb-foo.so.2", "libxcb-foo2"),
        ("libbar3_x.so.1.2.3", "libbar3-x1"),
        ("libbaz2.so.5", "libbaz2-5"),
    ],
)
def test_each_library_is_named_by_its_debian_package(
    machine: Machine, soname: str, package: str
) -> None:
    machine.ldd_reports("offscreen", f"\t{soname} => not found\n")
    result = machine.dev("check-qt", "offscreen")
    assert result.returncode == 1
    assert f"{soname} ({package})" in result.stderr
    assert result.stderr.endswith(f"sudo apt-get install {package}\n")


def test_as_root_the_missing_packages_are_installed_with_apt_get(machine: Machine) -> None:
    result = machine.dev("check-qt", "--install")
    assert result.returncode == 0, result.stderr
    installed = machine.apt_get_installed()
    assert installed[:2] == ["install", "-y"]
    assert sorted(p for p in installed if not p.startswith("-") and p != "install") == [
        "libxcb-icccm4",
        "libxcb-keysyms1",
    ]


def test_without_root_nothing_is_installed_and_the_packages_are_named(tmp_path: Path) -> None:
    machine = Machine(tmp_path, uid=1000)
    machine.ldd_reports("xcb", XCB_MISSING)
    result = machine.dev("check-qt", "--install")
    assert result.returncode == 1
    assert machine.apt_get_installed() == []
    assert "sudo apt-get install libxcb-icccm4 libxcb-keysyms1" in result.stderr


def _venv(machine: Machine) -> Path:
    """A virtualenv ./dev takes as installed, whose commands only record that they ran."""
    venv = machine.root / "venv"
    (venv / "bin").mkdir(parents=True)
    for command in ("python", "archive-reader", "ruff", "mypy"):
        # ruff fails, so that `./dev test` stops there, before it starts PostgreSQL
        status = 1 if command == "ruff" else 0
        _script(
            venv / "bin" / command,
            f'echo "{command} $*" >> "{machine.root}/ran"\nexit {status}\n',
        )
    (venv / ".installed").touch()  # newer than pyproject.toml: nothing to pip install
    return venv


def _ran(machine: Machine) -> str:
    ran = machine.root / "ran"
    return ran.read_text() if ran.exists() else ""


def test_dev_app_stops_when_the_xcb_plugin_cannot_load(tmp_path: Path) -> None:
    machine = Machine(tmp_path, uid=1000)
    machine.ldd_reports("xcb", XCB_MISSING)
    venv = _venv(machine)
    result = machine.dev("app", ARCHIVE_READER_VENV=str(venv))
    assert result.returncode != 0
    assert "sudo apt-get install libxcb-icccm4 libxcb-keysyms1" in result.stderr
    assert "archive-reader" not in _ran(machine)  # the app was not started only to crash


def test_dev_app_installs_what_the_xcb_plugin_misses_then_starts(machine: Machine) -> None:
    venv = _venv(machine)
    result = machine.dev("app", ARCHIVE_READER_VENV=str(venv))
    assert result.returncode == 0, result.stderr
    assert {"libxcb-icccm4", "libxcb-keysyms1"} <= set(machine.apt_get_installed())
    assert "archive-reader --library" in _ran(machine)


def test_dev_test_needs_the_offscreen_plugin_and_in_ci_the_xcb_one(tmp_path: Path) -> None:
    machine = Machine(tmp_path, uid=1000)
    machine.ldd_reports("xcb", XCB_MISSING)
    venv = _venv(machine)
    # tests run offscreen: a missing xcb library is reported, and the tests go on
    result = machine.dev("test", "--version", ARCHIVE_READER_VENV=str(venv))
    assert "libxcb-icccm4 libxcb-keysyms1" in result.stderr
    assert "ruff check" in _ran(machine)
    # CI (.ci/run) requires the app's plugin as well
    (machine.root / "ran").unlink()
    result = machine.dev(
        "test", "--version", ARCHIVE_READER_VENV=str(venv), ARCHIVE_READER_REQUIRE_QT_XCB="1"
    )
    assert result.returncode != 0
    assert _ran(machine) == ""
    # and a missing offscreen library stops the tests wherever they run
    machine.ldd_reports("offscreen", "\tlibfontconfig.so.1 => not found\n")
    result = machine.dev("test", "--version", ARCHIVE_READER_VENV=str(venv))
    assert result.returncode != 0
    assert "sudo apt-get install libfontconfig1 libxcb-icccm4 libxcb-keysyms1" in result.stderr
    assert _ran(machine) == ""


def test_ci_requires_the_apps_platform_plugin() -> None:
    assert "export ARCHIVE_READER_REQUIRE_QT_XCB=1" in (ROOT / ".ci" / "run").read_text()
