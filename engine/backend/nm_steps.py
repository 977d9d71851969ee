"""The plan's vocabulary: NM profiles and devices as found, and the steps NM is asked to do.

These types sit in the backend because the executor (:mod:`engine.backend.nm_exec`)
runs them; :mod:`engine.plan` builds them from states. Keeping them here lets the
backend stay ignorant of the pipeline (validate, merge, diff, plan) above it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Profile:
    """An existing NM connection profile (settings as plain values)."""

    path: str
    uuid: str
    iface: str
    settings: dict[str, dict[str, Any]]


@dataclass(frozen=True)
class Device:
    """An existing NM device and the profile active on it, if any."""

    name: str
    path: str
    active_uuid: str | None = None


@dataclass(frozen=True)
class Step:
    """One thing NM is asked to do.

    ``action``: delete-profile, delete-device, add, update, activate, reapply, deactivate,
    recreate (deactivate, wait until NM has removed the link, activate: for a change a
    live link cannot take, such as a VXLAN's VNI).
    ``level``: the interface's depth below its root (controller → port, base →
    child); the executor runs steps of one phase and level concurrently.
    """

    action: str
    iface: str
    settings: dict[str, dict[str, Any]] | None = None
    profile: str | None = None
    device: str | None = None
    why: str = ""
    level: int = 0

    def describe(self) -> str:
        words = {
            "delete-profile": "delete profile",
            "delete-device": "delete device",
            "add": "create profile",
            "update": "modify profile",
            "activate": "activate",
            "reapply": "reapply",
            "deactivate": "deactivate",
            "recreate": "re-create the link",
        }
        text = f"{self.iface}: {words.get(self.action, self.action)}"
        return f"{text} ({self.why})" if self.why else text


@dataclass
class Plan:
    steps: list[Step] = field(default_factory=list)
    hostname: str | None = None  # static hostname to save, when it changes
    running_hostname: str | None = None  # kernel (transient) hostname to set, when it changes
    #: family → interface whose profile carries DNS, before and after (an implied move
    #: shows in the review: see engine.effects).
    dns_before: dict[str, str] = field(default_factory=dict)
    dns_after: dict[str, str] = field(default_factory=dict)
    #: NM's global DNS to write ({} clears it), when it changes (see nm_global_dns).
    global_dns: dict[str, list[str]] | None = None

    def describe(self) -> list[str]:
        """One line per interface: what NM will do, in order."""
        per: dict[str, list[str]] = {}
        for step in self.steps:
            per.setdefault(step.iface, []).append(step.describe().split(": ", 1)[1])
        lines = [f"{name}: {', '.join(actions)}" for name, actions in per.items()]
        if self.global_dns:
            lines.append("DNS: NetworkManager's global DNS (profiles' DNS ignored)")
        elif self.global_dns is not None:
            lines.append("DNS: clear NetworkManager's global DNS")
        if self.hostname is not None:
            lines.append(f"hostname: save {self.hostname!r}")
        if self.running_hostname is not None:
            lines.append(f"hostname: set running {self.running_hostname!r}")
        return lines
