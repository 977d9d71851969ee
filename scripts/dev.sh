#!/usr/bin/env bash
# Set-up and entry points for a fresh Debian/Ubuntu machine, run as root.
#   scripts/dev.sh demo   install what is needed, then run the app on the sandbox's demo host
#   scripts/dev.sh test   the same set-up plus test tools, then lint, type-check and the whole suite
#   scripts/dev.sh setup  set-up only (add "test" for the test tools: scripts/dev.sh setup test)
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}

apt_packages() {
    local need=()
    command -v NetworkManager >/dev/null || [ -x /usr/sbin/NetworkManager ] || need+=(network-manager)
    command -v dbus-daemon >/dev/null || need+=(dbus)
    command -v ip >/dev/null || [ -x /usr/sbin/ip ] || need+=(iproute2)
    command -v tmux >/dev/null || need+=(tmux)
    command -v systemd-analyze >/dev/null || need+=(systemd)  # the unit files' tests
    command -v python3 >/dev/null || need+=(python3)
    python3 -c 'import venv, ensurepip' 2>/dev/null || need+=(python3-venv)
    if [ ${#need[@]} -gt 0 ]; then
        if [ "$(id -u)" -ne 0 ]; then
            echo "missing: ${need[*]}; run as root or: sudo apt-get install ${need[*]}" >&2
            exit 3
        fi
        echo "installing ${need[*]}" >&2
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}"
    fi
}

venv() {
    local extras=$1
    [ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
    "$VENV/bin/python" -m pip install -q --upgrade pip
    "$VENV/bin/python" -m pip install -q -e ".${extras}"
}

case "${1:-}" in
    demo)
        apt_packages
        venv ""
        exec "$VENV/bin/nmtui-state" --sandbox
        ;;
    test)
        apt_packages
        venv "[test]"
        export PATH="$PWD/$VENV/bin:$PATH"
        ruff check .
        ruff format --check engine widgets nmtui_state tests bench
        mypy
        lint-imports
        exec pytest -ra "${@:2}"
        ;;
    setup)
        apt_packages
        if [ "${2:-}" = test ]; then venv "[test]"; else venv ""; fi
        ;;
    *)
        echo "usage: scripts/dev.sh demo|test|setup [test]" >&2
        exit 2
        ;;
esac
