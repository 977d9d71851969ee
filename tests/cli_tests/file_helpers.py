"""What the host-free file command tests share: the CLI run with D-Bus pointing nowhere,
the example folders, and the current/desired pair the diff, gen-revert and no-host
tests start from.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

EXE = str(Path(sys.executable).parent / "nmtui-state")
DATA = Path(__file__).resolve().parents[1] / "data"
VALID = DATA / "valid"
INVALID = DATA / "invalid"
NO_BUS = "unix:path=/nonexistent"
ANSI = "\x1b["


def run(
    *args: str, stdin: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """The CLI with ``args``; D-Bus points at nothing and NO_COLOR is unset unless ``env`` says."""
    full = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    full["DBUS_SYSTEM_BUS_ADDRESS"] = NO_BUS
    full.update(env or {})
    return subprocess.run(
        [EXE, *args], input=stdin, capture_output=True, text=True, env=full, timeout=30
    )


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


CURRENT = """\
hostname:
  running: oldhost
  config: oldhost
dns-resolver:
  config:
    search: [example.com]
    server: [192.0.2.53]
routes:
  config:
    - destination: 0.0.0.0/0
      next-hop-address: 192.0.2.254
      next-hop-interface: br0
      metric: 100
      table-id: 254
interfaces:
  - name: eth1
    type: ethernet
    state: up
    mtu: 1500
    controller: br0
  - name: eth2
    type: ethernet
    state: up
    mtu: 1500
  - name: br0
    type: linux-bridge
    state: up
    mtu: 1500
    ipv4:
      enabled: true
      dhcp: false
      address:
        - ip: 192.0.2.1
          prefix-length: 24
    ipv6:
      enabled: false
    bridge:
      port:
        - name: eth1
"""

DESIRED = """\
hostname:
  config: newhost
dns-resolver:
  config:
    server: [192.0.2.54]
routes:
  config:
    - destination: 198.51.100.0/24
      next-hop-address: 192.0.2.254
      next-hop-interface: br0
interfaces:
  - name: br0
    type: linux-bridge
    mtu: 9000
    ipv4:
      enabled: true
      address:
        - ip: 192.0.2.9
          prefix-length: 24
    bridge:
      port:
        - name: eth1
        - name: eth2
  - name: eth2
    type: ethernet
    controller: br0
  - name: dummy0
    type: dummy
"""
