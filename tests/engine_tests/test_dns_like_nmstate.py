"""DNS as nmstate's dns_test.py means it, where no host is needed: which options and
server forms validation takes, and how servers compare.

The host halves are in tests/backend_tests/test_dns_like_nmstate.py.
"""

from __future__ import annotations

import pytest

from engine.normalize import canonical_ip, normalize
from engine.validate import validate


def errors(options: list[str]) -> list[str]:
    state = {"dns-resolver": {"config": {"options": options}}}
    return [p.format() for p in validate(state) if p.is_error]


@pytest.mark.parametrize("bad", ["haha", "ndot:9", "ndots:", "timeout"])
def test_invalid_dns_option_with_value(bad: str) -> None:
    """set_invalid_dns_options, invalid_dns_option_with_value: refused at the option."""
    got = errors(["rotate", "debug", bad])
    assert len(got) == 1 and got[0].startswith("dns-resolver.config.options[2]:"), got


@pytest.mark.parametrize("good", ["ndots:9", "timeout:3", "attempts:2", "rotate", "edns0"])
def test_set_dns_option_with_value(good: str) -> None:
    assert errors(["debug", good]) == []


def test_uncompare_dns_servers() -> None:
    """Servers compare canonically; an IPv4-mapped one keeps its dotted tail as nmstate
    prints it (Python 3.11 alone would write ::ffff:c000:201)."""
    assert canonical_ip("2001:Db8:0:0:0:0:0:1") == "2001:db8::1"
    assert canonical_ip("::fFfF:192.0.2.1") == "::ffff:192.0.2.1"
    assert canonical_ip("::ffff:c000:201/96") == "::ffff:192.0.2.1/96"
    state = {"dns-resolver": {"config": {"server": ["::FFFF:192.0.2.1", "2001:DB8::1"]}}}
    servers = normalize(state)["dns-resolver"]["config"]["server"]
    assert servers == ["::ffff:192.0.2.1", "2001:db8::1"]


def test_gen_conf_refuses_alternating_families_as_nmstate_does() -> None:
    """nmstate's gen-conf cannot place them either; an apply puts them in global DNS."""
    from engine.genconf import UntranslatableDns, gen_conf

    state = {
        "dns-resolver": {"config": {"server": ["192.0.2.1", "2001:db8::1", "192.0.2.2"]}},
        "interfaces": [
            {
                "name": "eth1",
                "type": "ethernet",
                "ipv4": {"enabled": True, "address": [{"ip": "192.0.2.10", "prefix-length": 24}]},
                "ipv6": {"enabled": True, "address": [{"ip": "2001:db8::10", "prefix-length": 64}]},
            }
        ],
    }
    with pytest.raises(UntranslatableDns, match="alternate"):
        gen_conf(state)
    state["dns-resolver"]["config"]["server"] = ["192.0.2.1", "192.0.2.2", "2001:db8::1"]
    assert len(gen_conf(state)) == 1
