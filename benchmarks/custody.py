"""Key custody cost (issue 13), measured beside the code before it in one run.

Measures, for this tree and for a baseline tree (default: the commit before key custody,
exported with ``git archive``), each in its own child process:

  * key-holder sign-in: Argon2id + unwraps + opening both databases (+ the new rollback checks);
  * first sign-in: sign in with the temporary password and set one's own password
    (today: enrolment, the key pair made here; before: a re-wrap of the pair IT made);
  * grant: today an explicit ``grants.approve`` by a key holder; before, the grant that
    completed inside the key holder's sign-in (that sign-in's time is reported);
  * failed sign-in of a known name vs an unknown name after the site raised the KDF to
    128 MiB (accounts still wrapped at 64 MiB): medians should be within 5 %. Wall time and
    the process's CPU time are both reported: on a shared machine CPU time is the steadier.

Run:  .venv/bin/python benchmarks/custody.py [--baseline REV] [--samples N]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parents[1]

CHILD = r"""
import json, statistics, sys, time
from pathlib import Path
from clinic_app.config import Settings
from clinic_app.core.security.roles import Role
from clinic_app.errors import AuthenticationError
from clinic_app.services import Services
from clinic_app.services.store_init import NewAccount

root, samples = Path(sys.argv[1]), int(sys.argv[2])
out = {}
def clock(fn):
    t0 = time.perf_counter(); r = fn(); return time.perf_counter() - t0, r

sv = Services(Settings(store_dir=root / "s", lockout_threshold=100))
sv.auth.init_store(NewAccount("admin", Role.ADMIN, "benchmark-admin-pw"),
                   [NewAccount("rad", Role.RADIOLOGIST, "benchmark-rad-pw-0")])
first = []
t, s = clock(lambda: sv.auth.login("rad", "benchmark-rad-pw-0"))
t2, _ = clock(lambda: sv.auth.change_password(s, "benchmark-rad-pw-0", "benchmark-rad-pw-1"))
sv.auth.logout(s)
admin = sv.auth.login("admin", "benchmark-admin-pw")
grant_times, enrol_times = [], [t + t2]
for i in range(samples):
    name = f"phys{i}"
    sv.accounts.add(admin, name, Role.PHYSICIAN, "benchmark-temp-pw-1")
    t, s = clock(lambda: sv.auth.login(name, "benchmark-temp-pw-1"))
    t2, _ = clock(lambda: sv.auth.change_password(s, "benchmark-temp-pw-1", "benchmark-own-pw-1"))
    enrol_times.append(t + t2)
    sv.auth.logout(s)
    t, holder = clock(lambda: sv.auth.login("rad", "benchmark-rad-pw-1"))
    if hasattr(sv, "grants"):
        t, _ = clock(lambda: sv.grants.approve(holder, name))
    grant_times.append(t)
    sv.auth.logout(holder)
signin = []
for _ in range(samples):
    t, s = clock(lambda: sv.auth.login("rad", "benchmark-rad-pw-1"))
    signin.append(t)
    sv.auth.logout(s)
sv.close()
raised = Services(Settings(store_dir=root / "s", lockout_threshold=100, kdf_memory_kib=128 * 1024))
known, unknown, known_cpu, unknown_cpu = [], [], [], []
for i in range(samples):
    for name, bucket, cpu in ((f"phys{i % samples}", known, known_cpu),
                              (f"nobody{i}", unknown, unknown_cpu)):
        t0, c0 = time.perf_counter(), time.process_time()
        try:
            raised.auth.login(name, "wrong-password-123")
        except AuthenticationError:
            pass
        bucket.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
raised.close()
med = statistics.median
print(json.dumps({"signin": med(signin), "first_signin": med(enrol_times),
                  "grant": med(grant_times), "known": med(known), "unknown": med(unknown),
                  "known_cpu": med(known_cpu), "unknown_cpu": med(unknown_cpu)}))
"""


def run_tree(tree: Path, samples: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "PYTHONPATH": str(tree), "CLINIC_APP_SITE_CONFIG": os.devnull,
               "CLINIC_APP_USER_CONFIG": os.devnull}
        out = subprocess.run([sys.executable, "-c", CHILD, tmp, str(samples)], env=env,
                             capture_output=True, text=True, check=True, cwd=tree).stdout
    return json.loads(out.strip().splitlines()[-1])


def export_tree(rev: str, dest: Path) -> Path:
    archive = dest / "base.tar"
    with archive.open("wb") as fh:
        subprocess.run(["git", "archive", rev], cwd=HERE, stdout=fh, check=True)
    with tarfile.open(archive) as tar:
        tar.extractall(dest / "tree", filter="data")
    return dest / "tree"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--baseline", default="a235d7a", help="git revision before key custody")
    ap.add_argument("--samples", type=int, default=9)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        base = run_tree(export_tree(args.baseline, Path(tmp)), args.samples)
    new = run_tree(HERE, args.samples)
    print(f"{'measure (median s)':34} {'baseline':>9} {'custody':>9} {'ratio':>7}")
    labels = {"signin": "key-holder sign-in", "first_signin": "first sign-in + own password",
              "grant": "grant (base: holder sign-in)", "known": "failed sign-in, known name",
              "unknown": "failed sign-in, unknown name"}
    for key, label in labels.items():
        print(f"{label:34} {base[key]:9.3f} {new[key]:9.3f} {new[key] / base[key]:6.2f}x")
    for name, res in (("baseline", base), ("custody", new)):
        diff = (res["unknown"] - res["known"]) / res["known"] * 100
        cpu = (res["unknown_cpu"] - res["known_cpu"]) / res["known_cpu"] * 100
        print(f"{name}: unknown vs known name with the KDF raised to 128 MiB: wall {diff:+.1f} %, "
              f"CPU time {cpu:+.1f} % (medians {res['known_cpu']:.3f} / {res['unknown_cpu']:.3f} s)")


if __name__ == "__main__":
    t0 = time.perf_counter()
    main()
    print(f"(total {time.perf_counter() - t0:.0f} s)")
