"""``show`` and 802.1x: the section is shown, its secrets only with ``-s``.

NetworkManager leaves secrets out of applied profiles, so ``show -s`` asks
for them (GetSecrets) and plain ``show`` never has them to print.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from nmtui_state.sandbox import Sandbox
from tests.backend_tests.apply_helpers import by_name, cli, write_state

pytestmark = pytest.mark.nm

SECRET = "s3cret-pw-4711"


def test_show_has_the_8021x_section_and_its_password_only_with_s(
    demo_sandbox: Sandbox, tmp_path: Path
) -> None:
    dot1x = {
        "identity": "alice",
        "eap-methods": ["peap"],
        "phase2-auth": "mschapv2",
        "password": SECRET,
    }
    state = {"interfaces": [{"name": "eth1", "type": "veth", "802.1x": dot1x}]}
    applied = cli(demo_sandbox, "apply", write_state(tmp_path, "x.yml", state))
    assert applied.returncode == 0, applied.stderr
    assert SECRET not in applied.stdout + applied.stderr

    plain = cli(demo_sandbox, "show", "eth1")
    assert plain.returncode == 0, plain.stderr
    shown = by_name(yaml.safe_load(plain.stdout))["eth1"]["802.1x"]
    assert shown["identity"] == "alice" and shown["eap-methods"] == ["peap"]
    assert SECRET not in plain.stdout

    with_secrets = cli(demo_sandbox, "show", "-s", "eth1")
    assert with_secrets.returncode == 0, with_secrets.stderr
    assert by_name(yaml.safe_load(with_secrets.stdout))["eth1"]["802.1x"]["password"] == SECRET
