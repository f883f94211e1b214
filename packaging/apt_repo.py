"""Publish built .deb files into a signed apt repository (reprepro + GnuPG, both from Debian).

Sites install and update the application with apt from this repository, and apt refuses any
index or package whose signature does not check out against the key the site pinned with
``signed-by`` (packaging/README.md, "Signed apt repository"). Signing happens here, with the
release key in the signer's own GnuPG home; the key never enters the repository folder.

    python packaging/apt_repo.py --repo DIR --key KEYID [--gnupg-home DIR] DEB...

The repository is a plain folder: serve it over HTTPS, or copy it to a share. The public key
is exported beside it as ``clinic-app-archive-keyring.gpg`` for sites to install under
/usr/share/keyrings/.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

#: The suite and component every deliverable goes to; one channel keeps the rule simple.
CODENAME = "stable"
COMPONENT = "main"
KEYRING_NAME = "clinic-app-archive-keyring.gpg"


class RepoError(Exception):
    """The repository could not be published; the message says what to fix."""


def _run(argv: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(argv, capture_output=True, text=True, env=env, check=False, timeout=300)
    if done.returncode:
        raise RepoError(f"{argv[0]} failed: {(done.stderr or done.stdout).strip()[-2000:]}")
    return done.stdout


def _distributions(key: str) -> str:
    return (f"Origin: clinic-app\nLabel: clinic-app\nCodename: {CODENAME}\nSuite: {CODENAME}\n"
            f"Architectures: amd64\nComponents: {COMPONENT}\n"
            "Description: clinic-app releases (signed)\n"
            f"SignWith: {key}\n")


def publish(repo: Path, debs: list[Path], key: str, gnupg_home: Path | None = None) -> Path:
    """Add ``debs`` to the repository at ``repo`` and sign it; returns the exported public key."""
    for tool in ("reprepro", "gpg"):
        if shutil.which(tool) is None:
            raise RepoError(f"{tool} is not installed (apt-get install reprepro gnupg)")
    env = dict(os.environ)
    if gnupg_home is not None:
        env["GNUPGHOME"] = str(gnupg_home)
    conf = repo / "conf"
    conf.mkdir(parents=True, exist_ok=True)
    (conf / "distributions").write_text(_distributions(key), encoding="utf-8")
    (conf / "options").write_text("ask-passphrase\n", encoding="utf-8")
    for deb in debs:
        if not deb.is_file():
            raise RepoError(f"no such package: {deb}")
        _run(["reprepro", "--basedir", str(repo), "includedeb", CODENAME, str(deb)], env)
    _run(["reprepro", "--basedir", str(repo), "export", CODENAME], env)
    keyring = repo / KEYRING_NAME
    exported = subprocess.run(["gpg", "--batch", "--export", key], capture_output=True, env=env,
                              check=False, timeout=60)
    if exported.returncode or not exported.stdout:
        raise RepoError(f"gpg could not export the public key {key}")
    keyring.write_bytes(exported.stdout)
    # The helper that picks the CPU or GPU package for a machine travels with the repository.
    installer = Path(__file__).resolve().parent / "linux" / "install-clinic-app"
    shutil.copy2(installer, repo / installer.name)
    return keyring


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repo", type=Path, required=True, help="repository folder")
    parser.add_argument("--key", required=True, help="GnuPG key id or fingerprint to sign with")
    parser.add_argument("--gnupg-home", type=Path, help="GnuPG home holding the signing key")
    parser.add_argument("debs", type=Path, nargs="+")
    args = parser.parse_args(argv)
    try:
        keyring = publish(args.repo, args.debs, args.key, args.gnupg_home)
    except RepoError as exc:
        print(f"apt_repo: {exc}", file=sys.stderr)
        return 1
    print(f"published {len(args.debs)} package(s) to {args.repo}; public key: {keyring}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
