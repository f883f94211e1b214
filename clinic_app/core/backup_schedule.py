"""systemd units that run a nightly backup, written for IT to install.

The application runs unprivileged, so it cannot install a timer itself; it writes the two
unit files for the chosen store, folder, admin account and time, and IT copies them to
/etc/systemd/system as root. The admin password is never in a unit: the service reads it
from a root-only credential file (systemd ``LoadCredential=``) and pipes it to
``--password-stdin``.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from clinic_app.errors import InvalidInput

UNIT = "clinic-app-backup"
CREDENTIAL = "/etc/clinic-app/backup-admin.pw"


def systemd_units(store_dir: Path, target: Path, admin: str, at: str = "02:00",
                  executable: str = "/usr/bin/clinic-app") -> dict[str, str]:
    """{file name: text} of the service and timer running the backup daily at ``at`` (HH:MM)."""
    if not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", at):
        raise InvalidInput(f"Backup time {at!r} is not HH:MM (24-hour), for example 02:00.")
    if not re.fullmatch(r"[a-z0-9._-]+", admin):
        raise InvalidInput("Give the administrator account that runs the backup.")
    if not store_dir.is_absolute() or not target.is_absolute():
        raise InvalidInput("The store and the backup folder must be absolute paths.")
    command = (f"{shlex.quote(executable)} --store {shlex.quote(str(store_dir))} backup --to "
               f"{shlex.quote(str(target))} --user {admin} --password-stdin "
               '< "$CREDENTIALS_DIRECTORY/admin-password"')
    service = f"""[Unit]
Description=clinic-app nightly encrypted backup of {store_dir}
After=local-fs.target

[Service]
Type=oneshot
# The admin password, in a file only root can read; never in this unit.
LoadCredential=admin-password:{CREDENTIAL}
ExecStart=/bin/sh -c {shlex.quote(command)}
Nice=10
IOSchedulingClass=idle
"""
    timer = f"""[Unit]
Description=Run the clinic-app backup daily at {at}

[Timer]
OnCalendar=*-*-* {at}:00
Persistent=true

[Install]
WantedBy=timers.target
"""
    return {f"{UNIT}.service": service, f"{UNIT}.timer": timer}


def install_steps(folder: Path) -> str:
    """What IT runs as root after saving the units into ``folder``."""
    return (f"sudo install -m 0644 {folder}/{UNIT}.service {folder}/{UNIT}.timer /etc/systemd/system/\n"
            f"sudo install -m 0600 /dev/stdin {CREDENTIAL}   # type the admin password, then Ctrl-D\n"
            f"sudo systemctl daemon-reload && sudo systemctl enable --now {UNIT}.timer")
