"""Hostile and careless input: every file ends within 20 s under a 1 GiB cap, exit 0 or 2.

The corpus is built here (bombs, nesting, sizes, encodings, FIFOs, devices,
directories, symlink loops ...); each file goes through ``validate`` and
``format`` as a separate process under ``prlimit --as``, and must end with
one message and no traceback.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

EXE = str(Path(sys.executable).parent / "nmtui-state")
CAP = str(1024**3)
OK_IFACE = "interfaces:\n- name: eth0\n  type: ethernet\n"


def _bomb(levels: int = 9) -> str:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def _corpus(tmp: Path) -> dict[str, str]:
    files: dict[str, bytes | str] = {
        "alias_bomb.yml": _bomb(),
        "deep_flow_list.yml": "a: " + "[" * 5000 + "]" * 5000 + "\n",
        "deep_flow_map.yml": "a: " + "{b: " * 5000 + "1" + "}" * 5000 + "\n",
        "deep_block_map.yml": "".join(" " * i + f"k{i}:\n" for i in range(3000)),
        "deep_block_list.yml": "".join(" " * i + "-\n" for i in range(3000)),
        "big_17mib.yml": "# " + "x" * (17 * 1024 * 1024) + "\n",
        "many_values.yml": "a: [" + ", ".join(["1"] * 600_000) + "]\n",
        "many_interfaces.yml": "interfaces:\n"
        + "".join(f"- {{name: e{i}, type: ethernet}}\n" for i in range(10_001)),
        "empty.yml": "",
        "comments_only.yml": "# nothing\n# here\n",
        "bom_utf8.yml": b"\xef\xbb\xbf" + OK_IFACE.encode(),
        "utf16.yml": OK_IFACE.encode("utf-16"),
        "utf16_no_bom.yml": OK_IFACE.encode("utf-16-le"),
        "latin1.yml": "interfaces:\n- name: \xe9th0\n  type: ethernet\n".encode("latin-1"),
        "nul_bytes.yml": OK_IFACE.encode() + b"\x00\x00",
        "crlf.yml": OK_IFACE.replace("\n", "\r\n"),
        "duplicate_keys.yml": "interfaces: []\ninterfaces: []\n",
        "merge_keys.yml": "x: &b {type: ethernet}\ninterfaces:\n- <<: *b\n  name: eth0\n",
        "tabs.yml": "interfaces:\n\t- name: eth0\n",
        "escape_name.yml": 'interfaces:\n- name: "e\\e]0;owned\\a"\n  type: ethernet\n',
        "list_top.yml": "- a\n- b\n",
        "scalar_top.yml": "hello\n",
        "python_tag.yml": "a: !!python/object/apply:os.system ['true']\n",
        "undefined_alias.yml": "a: *nope\n",
        "two_docs.yml": "a: 1\n---\nb: 2\n",
        "huge_int.yml": "interfaces:\n- name: eth0\n  type: ethernet\n  mtu: " + "9" * 5000 + "\n",
        "long_line.yml": "a: " + "y" * 2_000_000 + "\n",
    }
    out: dict[str, str] = {}
    for name, body in files.items():
        path = tmp / name
        if isinstance(body, bytes):
            path.write_bytes(body)
        else:
            path.write_text(body, encoding="utf-8", newline="")
        out[name] = str(path)
    os.mkfifo(tmp / "fifo.yml")
    out["fifo.yml"] = str(tmp / "fifo.yml")
    (tmp / "loop_a.yml").symlink_to(tmp / "loop_b.yml")
    (tmp / "loop_b.yml").symlink_to(tmp / "loop_a.yml")
    out["symlink_loop.yml"] = str(tmp / "loop_a.yml")
    (tmp / "a_directory.yml").mkdir()
    out["directory.yml"] = str(tmp / "a_directory.yml")
    out["missing.yml"] = str(tmp / "missing.yml")
    out["dev_zero"] = "/dev/zero"
    out["dev_urandom"] = "/dev/urandom"
    out["dev_null"] = "/dev/null"
    return out


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    return _corpus(tmp_path_factory.mktemp("hostile"))


NAMES = [
    "alias_bomb.yml", "deep_flow_list.yml", "deep_flow_map.yml", "deep_block_map.yml",
    "deep_block_list.yml", "big_17mib.yml", "many_values.yml", "many_interfaces.yml",
    "empty.yml", "comments_only.yml", "bom_utf8.yml", "utf16.yml", "utf16_no_bom.yml",
    "latin1.yml", "nul_bytes.yml", "crlf.yml", "duplicate_keys.yml", "merge_keys.yml",
    "tabs.yml", "escape_name.yml", "list_top.yml", "scalar_top.yml", "python_tag.yml",
    "undefined_alias.yml", "two_docs.yml", "huge_int.yml", "long_line.yml", "fifo.yml",
    "symlink_loop.yml", "directory.yml", "missing.yml", "dev_zero", "dev_urandom", "dev_null",
]  # fmt: skip


def _run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    prlimit = shutil.which("prlimit")
    cap = [prlimit, f"--as={CAP}", "--"] if prlimit else []
    return subprocess.run(
        [*cap, EXE, *args],
        capture_output=True,
        text=True,
        timeout=20,
        input=stdin,
        errors="replace",
    )


@pytest.mark.parametrize("command", ["validate", "format"])
@pytest.mark.parametrize("name", NAMES)
def test_hostile_file_ends_cleanly(corpus: dict[str, str], name: str, command: str) -> None:
    out = _run(command, corpus[name])
    assert out.returncode in (0, 2), (out.returncode, out.stderr[-2000:])
    assert "Traceback" not in out.stderr, out.stderr[-3000:]
    if out.returncode == 2:
        lines = [line for line in out.stderr.splitlines() if line.strip()]
        assert lines and all(line.startswith("nmtui-state") for line in lines), out.stderr
    assert "\x1b" not in out.stdout + out.stderr  # host text never reaches the terminal raw


def test_oversized_stdin_is_refused_at_the_cap() -> None:
    out = _run("validate", "-", stdin="# " + "x" * (17 * 1024 * 1024))
    assert out.returncode == 2
    assert "16 MiB limit" in out.stderr and "NMTUI_STATE_MAX_FILE_SIZE" in out.stderr


def test_size_limit_is_configurable(tmp_path: Path) -> None:
    path = tmp_path / "s.yml"
    path.write_text(OK_IFACE + "# " + "x" * 4096 + "\n")
    env = {**os.environ, "NMTUI_STATE_MAX_FILE_SIZE": "1K"}
    out = subprocess.run([EXE, "validate", str(path)], capture_output=True, text=True, env=env)
    assert out.returncode == 2 and "1 KiB limit" in out.stderr
    assert subprocess.run([EXE, "validate", str(path)], capture_output=True).returncode == 0
