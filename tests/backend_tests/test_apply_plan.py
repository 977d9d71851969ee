"""The plan's order and scope, as plain data (no NetworkManager needed).

NetworkManager needs children and ports removed before what they hang on,
and controllers and bases created before their ports and children; and a
plan must touch exactly what changes: the ports whose settings live in
their own profiles, the carrier of the DNS servers and nothing else.
"""

from __future__ import annotations

from typing import Any

from engine.backend.nm_settings import iface_to_settings
from engine.backend.nm_steps import Device, Plan, Profile
from engine.merge import merge
from engine.normalize import normalize
from engine.plan import make_plan

CURRENT: dict[str, Any] = normalize(
    {
        "interfaces": [
            {"name": "v0", "type": "veth", "state": "up", "veth": {"peer": "v0p"}},
            {"name": "v0p", "type": "veth", "state": "ignore", "veth": {"peer": "v0"}},
            {
                "name": "v0.10",
                "type": "vlan",
                "state": "up",
                "vlan": {"base-iface": "v0", "id": 10},
            },
            {
                "name": "br0",
                "type": "linux-bridge",
                "state": "up",
                "bridge": {"port": [{"name": "p1", "stp-priority": 32}]},
                "ipv4": {"enabled": True, "address": [{"ip": "10.0.0.1", "prefix-length": 24}]},
            },
            {
                "name": "p1",
                "type": "veth",
                "state": "up",
                "controller": "br0",
                "veth": {"peer": "p1p"},
            },
            {"name": "p1p", "type": "veth", "state": "ignore", "veth": {"peer": "p1"}},
        ],
        "dns-resolver": {"config": {"server": ["10.0.0.53"], "search": []}},
    }
)


def _host() -> tuple[list[Profile], dict[str, Device]]:
    profiles, devices = [], {}
    for i, iface in enumerate(CURRENT["interfaces"]):
        if iface["state"] == "ignore":
            continue
        settings = iface_to_settings(iface, CURRENT)
        uuid = settings["connection"]["uuid"]
        profiles.append(Profile(f"/Settings/{i}", uuid, iface["name"], settings))
        devices[iface["name"]] = Device(iface["name"], f"/Devices/{i}", uuid)
    return profiles, devices


def _plan(desired: dict[str, Any]) -> Plan:
    profiles, devices = _host()
    return make_plan(desired, CURRENT, merge(desired, CURRENT), profiles, devices)


def _steps(plan: Plan) -> list[tuple[str, str]]:
    return [(s.action, s.iface) for s in plan.steps]


def test_children_are_removed_before_their_base() -> None:
    desired = {"interfaces": [{"name": "v0", "state": "absent"}]}  # takes v0.10 and v0p along
    steps = _steps(_plan(desired))
    removed = [iface for action, iface in steps if action.startswith("delete")]
    assert removed.index("v0.10") < removed.index("v0")


def test_controllers_and_bases_come_first() -> None:
    desired = {
        "interfaces": [
            {"name": "v1.20", "type": "vlan", "vlan": {"base-iface": "v1", "id": 20}},
            {"name": "pb", "type": "veth", "veth": {"peer": "pbp"}},
            {"name": "v1", "type": "veth", "veth": {"peer": "v1p"}},
            {"name": "br1", "type": "linux-bridge", "bridge": {"port": [{"name": "pb"}]}},
        ]
    }
    steps = _steps(_plan(desired))
    for action in ("add", "activate"):
        order = [iface for a, iface in steps if a == action]
        assert order.index("br1") < order.index("pb"), action
        assert order.index("v1") < order.index("v1.20"), action


def test_port_settings_rewrite_the_port_not_only_the_bridge() -> None:
    desired = {
        "interfaces": [
            {
                "name": "br0",
                "type": "linux-bridge",
                "bridge": {"port": [{"name": "p1", "stp-priority": 40}]},
            }
        ]
    }
    plan = _plan(desired)
    (step,) = [s for s in plan.steps if s.iface == "p1" and s.action == "update"]
    assert step.settings is not None and step.settings["bridge-port"]["priority"] == 40


def test_unchanged_port_entries_leave_ports_alone() -> None:
    """Listing a port without options asks nothing of it: no rewrite, no re-activation."""
    desired = {
        "interfaces": [
            {"name": "br0", "type": "linux-bridge", "bridge": {"port": [{"name": "p1"}]}}
        ]
    }
    assert "p1" not in {iface for _, iface in _steps(_plan(desired))}


def test_dns_stays_with_its_current_carrier() -> None:
    """br0 carries the DNS servers now; rewriting v0 (first by name) must not move them."""
    profiles, devices = _host()
    holder = next(p for p in profiles if p.iface == "br0")
    assert holder.settings["ipv4"]["dns-data"] == ["10.0.0.53"]
    desired = {
        "interfaces": [
            {
                "name": "v0",
                "type": "veth",
                "ipv4": {"enabled": True, "address": [{"ip": "10.1.0.1", "prefix-length": 24}]},
            }
        ]
    }
    plan = make_plan(desired, CURRENT, merge(desired, CURRENT), profiles, devices)
    (step,) = [s for s in plan.steps if s.action == "update"]
    assert step.iface == "v0" and step.settings is not None
    assert "dns-data" not in step.settings["ipv4"]


def test_live_mac_and_mtu_are_not_pinned() -> None:
    """The merged state carries the kernel's MAC and MTU; only asked-for values reach profiles."""
    current = normalize(
        {
            "interfaces": [
                {
                    "name": "v0",
                    "type": "veth",
                    "state": "up",
                    "mac-address": "02:00:00:00:00:01",
                    "mtu": 1500,
                    "veth": {"peer": "v0p"},
                }
            ]
        }
    )
    settings = iface_to_settings({"name": "v0", "type": "veth", "veth": {"peer": "v0p"}}, current)
    profile = Profile("/Settings/1", settings["connection"]["uuid"], "v0", settings)
    devices = {"v0": Device("v0", "/Devices/1", profile.uuid)}

    def update(desired: dict[str, Any]) -> dict[str, Any]:
        plan = make_plan(desired, current, merge(desired, current), [profile], devices)
        (step,) = [s for s in plan.steps if s.action == "update"]
        assert step.settings is not None
        return step.settings["802-3-ethernet"]

    ipv4 = {"enabled": True, "address": [{"ip": "10.1.0.1", "prefix-length": 24}]}
    wired = update({"interfaces": [{"name": "v0", "type": "veth", "ipv4": ipv4}]})
    assert "assigned-mac-address" not in wired and "mtu" not in wired
    asked = {"name": "v0", "type": "veth", "mtu": 1400, "mac-address": "02:00:00:00:00:09"}
    wired = update({"interfaces": [asked]})
    assert wired["mtu"] == 1400 and wired["assigned-mac-address"] == "02:00:00:00:00:09"


def test_without_dns_to_carry_no_other_interface_is_touched() -> None:
    """A host with no static DNS: adding a bridge must not rewrite some other profile
    (the first static interface, often lo) just to hold nothing."""
    current = normalize(
        {
            "interfaces": [
                {
                    "name": "lo",
                    "type": "loopback",
                    "state": "up",
                    "ipv4": {"enabled": True, "address": [{"ip": "127.0.0.1", "prefix-length": 8}]},
                }
            ],
            "dns-resolver": {"config": {"server": [], "search": []}},
        }
    )
    settings = iface_to_settings(current["interfaces"][0], current)
    settings["connection"]["autoconnect"] = False  # as NM 1.42 generates lo's profile
    uuid = settings["connection"]["uuid"]
    profiles = [Profile("/Settings/0", uuid, "lo", settings)]
    devices = {"lo": Device("lo", "/Devices/0", uuid)}
    desired = {"interfaces": [{"name": "bb0", "type": "linux-bridge", "bridge": {"port": []}}]}
    plan = make_plan(desired, current, merge(desired, current), profiles, devices)
    assert _steps(plan) == [("add", "bb0"), ("activate", "bb0")]


def test_a_link_identity_change_recreates_the_link_as_nmstate_does() -> None:
    """A VLAN's id (or a veth's peer) cannot change on a live link: nmstate deactivates
    first. Here the plan says ``recreate`` (and why), never a Reapply that NM refuses."""
    from engine.effects import implied

    for desired in (
        {"interfaces": [{"name": "v0.10", "type": "vlan", "vlan": {"base-iface": "v0", "id": 11}}]},
        {"interfaces": [{"name": "v0", "type": "veth", "veth": {"peer": "v0q"}}]},
    ):
        plan = _plan(desired)
        (name,) = [i["name"] for i in desired["interfaces"]]
        acts = [s for s in plan.steps if s.iface == name and s.action not in ("update",)]
        assert [s.action for s in acts] == ["recreate"], plan.steps
        assert acts[0].device and acts[0].profile
        effects = implied(desired, CURRENT, merge(desired, CURRENT), plan)
        assert any(e.subject == name and e.what == "re-created" for e in effects), effects
    (step,) = [
        s
        for s in _plan({"interfaces": [{"name": "v0.10", "vlan": {"id": 11}}]}).steps
        if s.action == "recreate"
    ]
    assert step.describe() == "v0.10: re-create the link (vlan id 10 -> 11)"
    mtu_only = _plan({"interfaces": [{"name": "v0.10", "mtu": 1400}]})
    assert "recreate" not in [s.action for s in mtu_only.steps]


def test_promiscuous_mode_reaches_the_profile_only_when_asked() -> None:
    """The kernel reports accept-all-mac-addresses for every link; writing it into every
    profile would pin it. Asked for (and different from the host), it is written."""
    current = normalize(
        {
            "interfaces": [
                {
                    "name": "v0",
                    "type": "veth",
                    "state": "up",
                    "accept-all-mac-addresses": False,
                    "veth": {"peer": "v0p"},
                }
            ]
        }
    )
    settings = iface_to_settings({"name": "v0", "type": "veth", "veth": {"peer": "v0p"}}, current)
    profile = Profile("/Settings/1", settings["connection"]["uuid"], "v0", settings)
    devices = {"v0": Device("v0", "/Devices/1", profile.uuid)}

    def wired(iface: dict[str, Any]) -> dict[str, Any]:
        desired = {"interfaces": [{"name": "v0", "type": "veth", **iface}]}
        plan = make_plan(desired, current, merge(desired, current), [profile], devices)
        updates = [s.settings for s in plan.steps if s.action == "update" and s.settings]
        return updates[0]["802-3-ethernet"] if updates else {}

    assert "accept-all-mac-addresses" not in wired({"mtu": 1400})
    assert wired({"accept-all-mac-addresses": True})["accept-all-mac-addresses"] == 1


def test_mtu_on_two_vlans_with_a_shared_base_reaches_each_profile() -> None:
    """nmstate's ``test_set_mtu_on_two_vlans_with_a_shared_base``, planned (no 8021q here):
    the base and both VLANs get MTU 2000 in their profiles, the base first, each reapplied."""
    current = normalize(
        {
            "interfaces": [
                {"name": "v0", "type": "veth", "state": "up", "mtu": 1500, "veth": {"peer": "v0p"}},
                *(
                    {
                        "name": f"v0.{vid}",
                        "type": "vlan",
                        "state": "up",
                        "mtu": 1500,
                        "vlan": {"base-iface": "v0", "id": vid},
                    }
                    for vid in (101, 102)
                ),
            ]
        }
    )
    profiles, devices = [], {}
    for i, iface in enumerate(current["interfaces"]):
        settings = iface_to_settings(iface, current)
        uuid = settings["connection"]["uuid"]
        profiles.append(Profile(f"/Settings/{i}", uuid, iface["name"], settings))
        devices[iface["name"]] = Device(iface["name"], f"/Devices/{i}", uuid)
    desired = {"interfaces": [{"name": n, "mtu": 2000} for n in ("v0", "v0.101", "v0.102")]}
    plan = make_plan(desired, current, merge(desired, current), profiles, devices)
    updates = {s.iface: s.settings for s in plan.steps if s.action == "update" and s.settings}
    assert {n: u["802-3-ethernet"]["mtu"] for n, u in updates.items()} == {
        "v0": 2000,
        "v0.101": 2000,
        "v0.102": 2000,
    }
    reapplied = [s.iface for s in plan.steps if s.action == "reapply"]
    assert reapplied[0] == "v0" and sorted(reapplied[1:]) == ["v0.101", "v0.102"]
