"""Issue 11, "show leaves out what nmstate shows": what the engine makes of those values.

MACs in upper case, IPv6 link-local addresses, the bridge options the kernel
reports (two of them runtime-only timers) and ``description``: the kernel read
shapes them as nmstate 2 shows them, and merge, diff and verify neither trip
on them nor let a spelling difference pass for a change.
"""

from __future__ import annotations

from typing import Any

from engine.backend.nm_settings import iface_to_settings
from engine.backend.nm_settings_read import settings_to_iface
from engine.comparable import is_link_local
from engine.diff import diff
from engine.merge import merge
from engine.normalize import normalize
from engine.validate import validate
from engine.verify import verify

_MAC_UPPER = "02:AA:BB:CC:DD:0E"


def _host() -> dict[str, Any]:
    return normalize(
        {
            "interfaces": [
                {
                    "name": "eth1",
                    "type": "ethernet",
                    "state": "up",
                    "mac-address": _MAC_UPPER,
                    "mtu": 1500,
                    "ipv4": {"enabled": False},
                    "ipv6": {"enabled": False},
                }
            ]
        }
    )


def _eth1(state: dict[str, Any]) -> dict[str, Any]:
    return next(i for i in state["interfaces"] if i["name"] == "eth1")


# -- 1. MAC addresses: upper case shown, any case accepted --------------------------------


def test_a_lower_case_mac_asked_for_is_no_change_against_the_upper_case_shown_one() -> None:
    current = _host()
    desired = {"interfaces": [{"name": "eth1", "mac-address": _MAC_UPPER.lower()}]}
    merged = merge(desired, current)
    assert _eth1(merged)["mac-address"] == _MAC_UPPER
    assert diff(current, merged) == []
    assert verify(desired, merged, current) == []


def test_a_different_mac_in_lower_case_is_a_change_shown_in_upper_case() -> None:
    current = _host()
    desired = {"interfaces": [{"name": "eth1", "mac-address": "02:aa:bb:cc:dd:0f"}]}
    merged = merge(desired, current)
    (change,) = diff(current, merged)
    assert (change.path, change.old, change.new) == (
        "interfaces[eth1].mac-address",
        _MAC_UPPER,
        "02:AA:BB:CC:DD:0F",
    )
    (mismatch,) = verify(desired, merged, current)
    assert mismatch.path == "eth1.mac-address"


# -- 3. IPv6 link-local addresses: shown, never asked for nor compared ---------------------

_LL = {"ip": "fe80::ff:fe00:101", "prefix-length": 64}
_GLOBAL = {"ip": "2001:db8:1::10", "prefix-length": 64}


def _host_with_link_local() -> dict[str, Any]:
    state = _host()
    _eth1(state)["ipv6"] = {"enabled": True, "dhcp": False, "autoconf": False}
    _eth1(state)["ipv6"]["address"] = [dict(_GLOBAL), dict(_LL)]
    return state


def test_shown_link_local_addresses_applied_back_are_no_change() -> None:
    current = _host_with_link_local()
    merged = merge(current, current)
    assert _eth1(merged)["ipv6"]["address"] == [_GLOBAL], "the merge never asks for one"
    assert diff(current, merged) == []
    assert verify(current, merged, current) == []
    assert validate(current, current) == []  # the host's own link-local: nothing to say


def test_a_new_address_list_replaces_the_static_ones_and_leaves_link_local_alone() -> None:
    current = _host_with_link_local()
    new = {"ip": "2001:db8:1::99", "prefix-length": 64}
    desired = {"interfaces": [{"name": "eth1", "ipv6": {"address": [new]}}]}
    merged = merge(desired, current)
    (change,) = diff(current, merged)
    assert (change.path, change.old, change.new) == (
        "interfaces[eth1].ipv6.address",
        [_GLOBAL],
        [new],
    )
    live = _host_with_link_local()
    _eth1(live)["ipv6"]["address"] = [dict(_LL), new]  # the kernel keeps its own
    assert verify(desired, merged, live) == []
    _eth1(live)["ipv6"]["address"] = [dict(_LL)]
    (mismatch,) = verify(desired, merged, live)
    assert (mismatch.path, mismatch.found) == ("eth1.ipv6.address", [])


def test_a_link_local_address_asked_for_is_ignored_with_a_warning() -> None:
    current = _host_with_link_local()
    desired = {
        "interfaces": [
            {
                "name": "eth1",
                "ipv6": {"address": [dict(_GLOBAL), {"ip": "FE80::0:1", "prefix-length": 64}]},
            }
        ]
    }
    (problem,) = validate(desired, current)
    assert problem.severity == "warning"
    assert problem.path == "interfaces[eth1].ipv6.address[1]"
    assert "fe80::1 is an IPv6 link-local address" in problem.message
    assert "ignored when applying" in problem.message
    merged = merge(desired, current)
    assert _eth1(merged)["ipv6"]["address"] == [_GLOBAL]
    assert diff(current, merged) == []


def test_link_local_is_not_a_static_address_next_to_autoconf() -> None:
    """Shown next to ``autoconf: true`` it is no "static address with autoconf" error."""
    current = _host_with_link_local()
    _eth1(current)["ipv6"].update(autoconf=True, dhcp=True, address=[dict(_LL)])
    assert [p for p in validate(current, current) if p.is_error] == []
    assert is_link_local("fe80::1") and is_link_local("febf::1%eth1")
    assert not is_link_local("fec0::1") and not is_link_local("169.254.1.1")


# -- 4. Linux bridge options: every one shown, the timers never compared -------------------


def _bridge_host(**opts: Any) -> dict[str, Any]:
    options = {
        "stp": {"enabled": False},
        "gc-timer": 29594,
        "hello-timer": 0,
        "group-addr": "01:80:C2:00:00:00",
        "group-forward-mask": 0,
        "group-fwd-mask": 0,
        "hash-max": 4096,
        "multicast-router": "auto",
        "multicast-querier": False,
        "multicast-query-interval": 12500,
        **opts,
    }
    return normalize(
        {
            "interfaces": [
                {
                    "name": "br0",
                    "type": "linux-bridge",
                    "state": "up",
                    "bridge": {"options": options, "port": []},
                }
            ]
        }
    )


def _opts(state: dict[str, Any]) -> dict[str, Any]:
    br0 = next(i for i in state["interfaces"] if i["name"] == "br0")
    options: dict[str, Any] = br0["bridge"]["options"]
    return options


def test_shown_bridge_options_applied_back_are_no_change_though_the_timers_moved() -> None:
    shown = _bridge_host()
    later = _bridge_host(**{"gc-timer": 12, "hello-timer": 150})  # the next read
    merged = merge(shown, later)
    assert not {"gc-timer", "hello-timer", "group-fwd-mask"} & set(_opts(merged))
    assert diff(later, merged) == []
    assert verify(shown, merged, later) == []
    assert [p for p in validate(shown, later) if p.is_error] == []


def test_a_settable_option_is_a_change_and_group_fwd_mask_is_group_forward_mask() -> None:
    current = _bridge_host()
    desired = {
        "interfaces": [
            {"name": "br0", "bridge": {"options": {"hash-max": 1024, "group-fwd-mask": 8}}}
        ]
    }
    merged = merge(desired, current)
    assert [(c.path, c.old, c.new) for c in diff(current, merged)] == [
        ("interfaces[br0].bridge.options.group-forward-mask", 0, 8),
        ("interfaces[br0].bridge.options.hash-max", 4096, 1024),
    ]
    live = _bridge_host(**{"hash-max": 1024, "group-forward-mask": 8, "group-fwd-mask": 8})
    assert verify(desired, merged, live) == []
    (mismatch,) = verify(desired, merged, _bridge_host(**{"hash-max": 1024}))
    assert mismatch.path == "br0.bridge.options.group-forward-mask"


def test_the_two_names_of_the_mask_with_two_values_are_refused() -> None:
    desired = {
        "interfaces": [
            {
                "name": "br0",
                "type": "linux-bridge",
                "bridge": {"options": {"group-forward-mask": 8, "group-fwd-mask": 16}},
            }
        ]
    }
    (problem,) = validate(desired, _bridge_host())
    assert problem.is_error and problem.path == "interfaces[br0].bridge.options.group-fwd-mask"
    assert "one setting" in problem.message


def test_the_profile_carries_the_mask_by_either_name_and_the_default_pvid() -> None:
    iface = {
        "name": "br0",
        "type": "linux-bridge",
        "bridge": {
            "options": {"group-fwd-mask": 8, "vlan-default-pvid": 1, "gc-timer": 5},
            "port": [],
        },
    }
    bridge = iface_to_settings(iface, {"interfaces": [iface]})["bridge"]
    assert bridge["group-forward-mask"] == 8 and bridge["vlan-default-pvid"] == 1
    assert not any("timer" in prop for prop in bridge)


# -- 2. description: kept where nmstate keeps it, in the profile's user data ------------------


def _described(text: str | None) -> dict[str, Any]:
    state = _host()
    if text is not None:
        _eth1(state)["description"] = text
    return state


def test_the_same_description_is_no_change_and_another_one_is_one() -> None:
    current = _described("uplink to rack 4")
    assert diff(current, merge(current, current)) == []
    desired = {"interfaces": [{"name": "eth1", "description": "uplink to rack 5"}]}
    merged = merge(desired, current)
    (change,) = diff(current, merged)
    assert (change.path, change.old, change.new) == (
        "interfaces[eth1].description",
        "uplink to rack 4",
        "uplink to rack 5",
    )
    (mismatch,) = verify(desired, merged, current)
    assert mismatch.format() == (
        "eth1.description: wanted uplink to rack 5, host has uplink to rack 4"
    )
    assert verify(desired, merged, _described("uplink to rack 5")) == []


def test_an_empty_description_removes_one_and_is_nothing_where_there_is_none() -> None:
    desired = {"interfaces": [{"name": "eth1", "description": ""}]}
    current = _described("uplink")
    merged = merge(desired, current)
    (change,) = diff(current, merged)
    assert (change.path, change.old, change.new) == ("interfaces[eth1].description", "uplink", "")
    assert verify(desired, merged, _described(None)) == []
    (mismatch,) = verify(desired, merged, current)
    assert mismatch.path == "eth1.description"
    bare = _described(None)
    assert diff(bare, merge(desired, bare)) == []
    assert verify(desired, merge(desired, bare), bare) == []


def test_the_description_travels_in_the_profiles_user_data_as_nmstate_keeps_it() -> None:
    iface = {"name": "eth1", "type": "ethernet", "description": "uplink"}
    settings = iface_to_settings(iface, {"interfaces": [iface]})
    assert settings["user"] == {"data": {"nmstate.interface.description": "uplink"}}
    assert settings_to_iface(settings)["description"] == "uplink"
    emptied = iface_to_settings({**iface, "description": ""}, {"interfaces": [iface]})
    assert emptied["user"] == {"data": {}}
    assert "description" not in settings_to_iface(emptied)
    assert "user" not in iface_to_settings({"name": "eth1", "type": "ethernet"}, {})
