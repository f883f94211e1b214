"""Packaging: the CPU bundle passes its self-test, and the .deb installs, runs and uninstalls cleanly."""

from __future__ import annotations

import configparser
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from clinic_app import __version__
from clinic_app.config import KEYS, SITE_ONLY, Settings, read_config_file

REPO = Path(__file__).resolve().parents[1]
PACKAGING = REPO / "packaging"
LINUX = PACKAGING / "linux"


def _build_module():
    spec = importlib.util.spec_from_file_location("clinic_app_build", PACKAGING / "build.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up here
    spec.loader.exec_module(module)
    return module


# -- fast checks of the packaging sources ------------------------------------------------

def test_config_template_documents_every_key_with_its_default(tmp_path):
    """The /etc template parses as is, and uncommented gives exactly the built-in defaults."""
    template = (LINUX / "config.toml").read_text(encoding="utf-8")
    assert read_config_file(LINUX / "config.toml", site=True) == {}
    keys_shown = set(re.findall(r"^# (\w+) = ", template, re.M))
    assert keys_shown == KEYS
    defaults = Settings(store_dir=Path("/unused"))
    uncommented = re.sub(r"^# (\w+ = .*)$", r"\1", template, flags=re.M)
    path = tmp_path / "config.toml"
    path.write_text(uncommented, encoding="utf-8")
    values = read_config_file(path, site=True)
    for key, value in values.items():
        if key not in ("store_dir", "models_dir", "log_dir", "audit_syslog_ca", "audit_syslog_cert",
                       "audit_syslog_key"):  # paths shown as examples; the defaults are None
            assert value == getattr(defaults, key), key


def test_desktop_entry_launches_the_path_launcher():
    """The desktop entry runs the clinic-app launcher with the clinic-app icon, no terminal."""
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str
    entry.read(LINUX / "clinic-app.desktop", encoding="utf-8")
    section = entry["Desktop Entry"]
    assert section["Type"] == "Application"
    assert section["Exec"] == "clinic-app"
    assert section["Icon"] == "clinic-app"
    assert section["Terminal"] == "false"
    assert "MedicalSoftware" in section["Categories"]


def test_maintainer_scripts_are_posix_sh_and_stay_inside_dpkg_root():
    """postinst/postrm parse as POSIX sh, and every path purge touches is under $DPKG_ROOT."""
    for name in ("postinst", "postrm"):
        script = LINUX / name
        assert os.access(script, os.X_OK)
        assert subprocess.run(["sh", "-n", str(script)], check=False).returncode == 0
    postrm = (LINUX / "postrm").read_text(encoding="utf-8")
    purge = postrm[postrm.index("purge)"):postrm.index(";;", postrm.index("purge)"))]
    # Every filesystem operation names its paths through $DPKG_ROOT or a variable built from it.
    operations = [line.strip() for line in purge.splitlines() if line.strip().startswith(("rm ", "mv "))]
    assert operations
    for line in operations:
        args = re.findall(r'"([^"]+)"', line)
        assert args and all(a.startswith(("${DPKG_ROOT:-}/", "$data", "$aside")) for a in args), line
    assert 'data="${DPKG_ROOT:-}/var/lib/clinic-app"' in purge


def _mini_deb(tmp_path: Path) -> Path:
    """A tiny package carrying the real maintainer scripts and the site config conffile."""
    stage = tmp_path / "stage"
    (stage / "DEBIAN").mkdir(parents=True)
    (stage / "etc/clinic-app").mkdir(parents=True)
    (stage / "etc/clinic-app/config.toml").write_text("# site config\n", encoding="utf-8")
    (stage / "DEBIAN/control").write_text(
        "Package: clinic-app-scripts-test\nVersion: 1.0\nArchitecture: all\nSection: science\nPriority: optional\n"
        "Maintainer: test <test@example.invalid>\nDescription: maintainer-script test\n",
        encoding="utf-8")
    (stage / "DEBIAN/conffiles").write_text("/etc/clinic-app/config.toml\n", encoding="utf-8")
    for name in ("postinst", "postrm"):
        shutil.copy2(LINUX / name, stage / "DEBIAN" / name)
    deb = tmp_path / "scripts-test.deb"
    subprocess.run(["dpkg-deb", "--root-owner-group", "--build", str(stage), str(deb)],
                   check=True, capture_output=True)
    return deb


def _dpkg_root(tmp_path: Path) -> Path:
    root = tmp_path / "root"
    (root / "var/lib/dpkg/info").mkdir(parents=True)
    (root / "var/lib/dpkg/updates").mkdir()
    (root / "var/lib/dpkg/status").touch()
    (root / "var/lib/dpkg/available").touch()
    return root


@pytest.mark.skipif(shutil.which("dpkg-deb") is None, reason="needs dpkg (Debian)")
def test_purge_moves_an_encrypted_store_aside_and_never_deletes_it(tmp_path):
    """apt purge keeps a store under /var/lib/clinic-app (moved to a dated name, said where)."""
    root = _dpkg_root(tmp_path)
    assert _dpkg(root, "-i", str(_mini_deb(tmp_path))).returncode == 0
    store = root / "var/lib/clinic-app/site/store"
    (store / "blobs/ab").mkdir(parents=True)
    (store / "keyring.db").write_bytes(b"wrapped keys")
    (store / "clinical.db").write_bytes(b"encrypted pages")
    (store / "blobs/ab/abcdef").write_bytes(b"encrypted blob")
    (root / "var/log/clinic-app").mkdir(parents=True)
    (root / "var/log/clinic-app/clinic-app.log").write_text("no patient data\n")

    purged = _dpkg(root, "-P", "clinic-app-scripts-test")
    assert purged.returncode == 0, purged.stderr
    assert not (root / "var/lib/clinic-app").exists()
    kept = list((root / "var/lib").glob("clinic-app.kept-*"))
    assert len(kept) == 1
    assert (kept[0] / "site/store/clinical.db").read_bytes() == b"encrypted pages"
    assert (kept[0] / "site/store/blobs/ab/abcdef").read_bytes() == b"encrypted blob"
    assert f"/var/lib/{kept[0].name}" in purged.stdout + purged.stderr
    assert not (root / "etc/clinic-app").exists()
    assert not (root / "var/log/clinic-app").exists()


@pytest.mark.skipif(shutil.which("dpkg-deb") is None, reason="needs dpkg (Debian)")
def test_purge_deletes_a_data_folder_that_holds_no_store(tmp_path):
    """With no store files under /var/lib/clinic-app, purge deletes it as before."""
    root = _dpkg_root(tmp_path)
    assert _dpkg(root, "-i", str(_mini_deb(tmp_path))).returncode == 0
    (root / "var/lib/clinic-app/empty").mkdir(parents=True)
    (root / "var/lib/clinic-app/README.txt").write_text("nothing clinical here\n")
    purged = _dpkg(root, "-P", "clinic-app-scripts-test")
    assert purged.returncode == 0, purged.stderr
    assert not (root / "var/lib/clinic-app").exists()
    assert list((root / "var/lib").glob("clinic-app.kept-*")) == []


def test_package_declares_the_libraries_the_issue_names():
    """The .deb's base Depends include EGL, GL, xkbcommon, the xcb libraries and fontconfig."""
    build = _build_module()
    names = {d.split()[0] for d in build.BASE_DEPENDS}
    assert {"libegl1", "libgl1", "libxkbcommon0", "libfontconfig1", "fontconfig",
            "libxcb-cursor0", "libxcb-icccm4", "libxcb-keysyms1"} <= names


def test_depends_merge_keeps_versions_and_has_no_duplicates():
    """Merging scanned and base Depends keeps one entry per package, versioned if any is."""
    build = _build_module()
    merged = build.merge_depends(["libc6 (>= 2.35)", "libxcb1 (>= 1.8)"], ["libxcb1", "libgl1"])
    assert merged == ["libc6 (>= 2.35)", "libgl1", "libxcb1 (>= 1.8)"]


def test_site_only_keys_are_marked_in_the_template():
    """Every site-only key sits above the 'comfort' section of the template."""
    template = (LINUX / "config.toml").read_text(encoding="utf-8")
    comfort = template.index("-- comfort")
    for key in SITE_ONLY:
        assert template.index(f"# {key} = ") < comfort, key


# -- the real build (slow) -----------------------------------------------------------------

def _dpkg(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    force = ["--force-script-chrootless", "--force-depends"]
    if os.geteuid() != 0:
        force.append("--force-not-root")
    return subprocess.run(["dpkg", f"--root={root}", *force, *args], capture_output=True,
                          text=True, check=False)


def _run(exe: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(exe), *args], capture_output=True, text=True, env=env,
                          timeout=300, check=False)


def _self_test(argv: list[str], env: dict[str, str]) -> dict:
    done = subprocess.run([*argv, "--self-test", "--json"], capture_output=True, text=True,
                          env=env, timeout=300, check=False)
    report = json.loads(done.stdout)
    assert done.returncode == (0 if report["ok"] else 1)
    return report


def _regressions(source: dict, packaged: dict) -> list[str]:
    """Items that pass in the source install but not in the packaged app."""
    packaged_items = {i["name"]: i for i in packaged["items"]}
    problems = []
    for item in source["items"]:
        other = packaged_items.get(item["name"])
        if other is None:
            problems.append(f"{item['name']}: missing from the packaged self-test")
        elif item["status"] == "PASS" and other["status"] != "PASS":
            problems.append(f"{item['name']}: {other['status']} {other['detail']}")
    return problems


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux") or shutil.which("dpkg-deb") is None,
                    reason="the Linux deliverables are built with dpkg-deb on Linux")
def test_cpu_bundle_and_deb_build_install_run_and_uninstall(tmp_path):
    """Build the CPU bundle and .deb; the bundle and the installed app self-test like the source
    install; the package installs, runs, removes (keeping config and data) and purges cleanly."""
    out = tmp_path / "out"
    done = subprocess.run([str(PACKAGING / "build.sh"), "--variant", "cpu", "--out", str(out)],
                          capture_output=True, text=True, timeout=1800, check=False)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    report = json.loads((out / "build-cpu.json").read_text(encoding="utf-8"))

    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", CLINIC_APP_SITE_CONFIG=os.devnull,
               CLINIC_APP_USER_CONFIG=os.devnull, XDG_STATE_HOME=str(tmp_path / "state"))
    env.pop("CLINIC_APP_STORE", None)
    store = ["--store", str(tmp_path / "store")]

    # The bundle: CPU variant, no GPU providers, self-describing, and its self-test passes
    # every item the source install passes (codecs, crypto, Qt, models, ...).
    bundle = Path(report["bundle"])
    assert not list(bundle.rglob("libonnxruntime_providers_cuda.so"))
    assert not list(bundle.rglob("libonnxruntime_providers_tensorrt.so"))
    info = json.loads((bundle / "_internal" / "bundle-info.json").read_text(encoding="utf-8"))
    assert info["variant"] == "cpu" and info["version"] == __version__
    source = _self_test([sys.executable, "-m", "clinic_app", *store], env)
    from_bundle = _self_test([str(bundle / "clinic-app"), *store], env)
    assert from_bundle["bundle"]["variant"] == "cpu"
    assert _regressions(source, from_bundle) == []
    dicom = [i for i in from_bundle["items"] if i["name"].startswith("dicom ")]
    assert dicom and all(i["status"] == "PASS" for i in dicom)

    # The tarball holds the same bundle under clinic-app/.
    with tarfile.open(report["tarball"]) as tar:
        names = tar.getnames()
    assert "clinic-app/clinic-app" in names
    assert "clinic-app/_internal/bundle-info.json" in names

    # The .deb's metadata.
    deb = Path(report["deb"])
    fields = subprocess.run(["dpkg-deb", "-f", str(deb)], capture_output=True, text=True,
                            check=True).stdout
    assert "Package: clinic-app-cpu" in fields and f"Version: {__version__}" in fields
    depends = re.search(r"^Depends: (.*)$", fields, re.M).group(1)
    for name in ("libc6 (>=", "libegl1", "libgl1", "libxkbcommon0", "libxcb-cursor0",
                 "libfontconfig1"):
        assert name in depends, name

    # Install into a separate dpkg root (maintainer scripts run there via $DPKG_ROOT).
    root = tmp_path / "root"
    (root / "var/lib/dpkg/info").mkdir(parents=True)
    (root / "var/lib/dpkg/updates").mkdir()
    (root / "var/lib/dpkg/status").touch()
    (root / "var/lib/dpkg/available").touch()
    installed = _dpkg(root, "-i", str(deb))
    assert installed.returncode == 0, installed.stderr
    launcher = root / "usr/bin/clinic-app"
    assert launcher.is_symlink()
    assert (root / "usr/share/applications/clinic-app.desktop").is_file()
    assert (root / "usr/share/icons/hicolor/scalable/apps/clinic-app.svg").is_file()
    assert (root / "usr/share/icons/hicolor/256x256/apps/clinic-app.png").is_file()
    assert (root / "etc/clinic-app/config.toml").is_file()

    version = _run(launcher, "--version", env=env)
    assert version.returncode == 0 and version.stdout.strip() == f"clinic-app {__version__}"
    env["CLINIC_APP_SITE_CONFIG"] = str(root / "etc/clinic-app/config.toml")
    from_deb = _self_test([str(launcher), *store], env)
    assert items_named(from_deb, "config")["status"] == "PASS"  # the shipped template parses
    assert _regressions(source, from_deb) == []

    # Remove keeps configuration and data; purge deletes the config and moves the store aside.
    data = root / "var/lib/clinic-app/store"
    data.mkdir(parents=True)
    (data / "keyring.db").write_bytes(b"site data")
    removed = _dpkg(root, "-r", "clinic-app-cpu")
    assert removed.returncode == 0, removed.stderr
    assert not (root / "opt/clinic-app").exists() and not launcher.exists()
    assert (root / "etc/clinic-app/config.toml").is_file() and data.is_dir()
    purged = _dpkg(root, "-P", "clinic-app-cpu")
    assert purged.returncode == 0, purged.stderr
    assert not (root / "etc/clinic-app").exists()
    assert not (root / "var/lib/clinic-app").exists()
    kept = list((root / "var/lib").glob("clinic-app.kept-*"))  # the store is moved, never deleted
    assert len(kept) == 1 and (kept[0] / "store/keyring.db").read_bytes() == b"site data"
    leftovers = [p for p in root.rglob("*") if "var/lib/dpkg" not in p.as_posix()
                 and "clinic-app.kept-" not in p.as_posix() and p.is_file()]
    assert leftovers == []


def items_named(report: dict, name: str) -> dict:
    return next(i for i in report["items"] if i["name"] == name)


# -- SBOM ----------------------------------------------------------------------------------

def _sbom_module():
    spec = importlib.util.spec_from_file_location("clinic_app_sbom", PACKAGING / "sbom.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(shutil.which("dpkg") is None, reason="needs dpkg (Debian) to attribute OS libraries")
def test_sbom_lists_bundled_python_packages_and_shared_libraries_and_validates(tmp_path):
    """The SBOM of a bundle names the wheels and OS libraries in it, hashed, valid CycloneDX 1.5."""
    import hashlib

    import numpy
    from cyclonedx.schema import SchemaVersion
    from cyclonedx.validation.json import JsonStrictValidator

    bundle = tmp_path / "clinic-app"
    internal = bundle / "_internal"
    # A miniature bundle as PyInstaller lays it out: one wheel's extension module and an
    # OS library copied next to them.
    numpy_dir = Path(numpy.__file__).parent
    extension = next(numpy_dir.rglob("_multiarray_umath*.so"))
    target = internal / extension.relative_to(numpy_dir.parent)
    target.parent.mkdir(parents=True)
    shutil.copy2(extension, target)
    zlib = next(p for p in (Path("/lib/x86_64-linux-gnu"), Path("/usr/lib/x86_64-linux-gnu"))
                if (p / "libz.so.1").exists()) / "libz.so.1"
    shutil.copy2(zlib.resolve(), internal / "libz.so.1")
    (internal / "stray.so").write_bytes(b"\x7fELF not from any package")

    sbom = _sbom_module().build_sbom(bundle, app_version="9.9.9", variant="cpu")
    text = json.dumps(sbom)
    assert JsonStrictValidator(SchemaVersion.V1_5).validate_str(text) is None

    by_name = {c["name"]: c for c in sbom["components"]}
    assert by_name["numpy"]["version"] == numpy.__version__
    assert by_name["numpy"]["purl"] == f"pkg:pypi/numpy@{numpy.__version__}"
    [lib] = by_name["numpy"]["components"]
    assert lib["hashes"][0]["content"] == hashlib.sha256(extension.read_bytes()).hexdigest()
    assert by_name["zlib1g"]["purl"].startswith("pkg:deb/debian/zlib1g@")
    assert by_name["zlib1g"]["components"][0]["name"] == "_internal/libz.so.1"
    assert "_internal/stray.so" in by_name  # unknown origin is listed, never dropped
    assert "pytest" not in by_name  # build-environment packages not in the bundle are not listed
    assert sbom["metadata"]["component"]["name"] == "clinic-app-cpu"


# -- signed apt repository -------------------------------------------------------------------

def _apt_repo_module():
    spec = importlib.util.spec_from_file_location("clinic_app_apt_repo", PACKAGING / "apt_repo.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _gpg_key(home: Path, name: str) -> str:
    home.mkdir(mode=0o700)
    env = dict(os.environ, GNUPGHOME=str(home))
    subprocess.run(["gpg", "--batch", "--pinentry-mode", "loopback", "--passphrase", "",
                    "--quick-gen-key", f"{name} <{name}@example.invalid>", "ed25519", "sign", "never"],
                   env=env, check=True, capture_output=True, timeout=120)
    listing = subprocess.run(["gpg", "--batch", "--with-colons", "--list-keys"], env=env, check=True,
                             capture_output=True, text=True).stdout
    return next(line.split(":")[9] for line in listing.splitlines() if line.startswith("fpr:"))


def _apt(tmp_path: Path, repo: Path, keyring: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """apt-get against only ``repo``, pinned to ``keyring`` with signed-by, in private folders."""
    base = tmp_path / "apt"
    for folder in ("state/lists/partial", "cache/archives/partial", "etc/trusted.gpg.d",
                   "etc/sources.list.d", "etc/preferences.d", "etc/apt.conf.d"):
        (base / folder).mkdir(parents=True, exist_ok=True)
    (base / "state/status").touch()
    (base / "etc/sources.list").write_text(f"deb [signed-by={keyring}] file:{repo} stable main\n")
    options = ["-o", f"Dir::Etc={base / 'etc'}", "-o", f"Dir::State={base / 'state'}",
               "-o", f"Dir::State::status={base / 'state/status'}", "-o", f"Dir::Cache={base / 'cache'}",
               "-o", "APT::Sandbox::User=root", "-o", "Debug::NoLocking=1",
               "-o", "APT::Architecture=amd64", "-o", "APT::Architectures=amd64"]
    return subprocess.run(["apt-get", "-q", *options, *args], capture_output=True, text=True,
                          timeout=120, check=False, cwd=tmp_path)


@pytest.fixture
def gpg_key(tmp_path):
    """Makes a signing key in its own GnuPG home; stops each home's agent afterwards (gpg
    starts one per home, and it would outlive the test by minutes)."""
    homes: list[Path] = []

    def make(name: str) -> str:
        homes.append(tmp_path / f"gnupg-{name}")
        return _gpg_key(homes[-1], name)

    yield make
    for home in homes:
        subprocess.run(["gpgconf", "--kill", "gpg-agent"], env=dict(os.environ, GNUPGHOME=str(home)),
                       check=False, capture_output=True, timeout=30)


@pytest.mark.skipif(any(shutil.which(t) is None for t in ("reprepro", "gpg", "apt-get", "dpkg-deb")),
                    reason="needs reprepro, gnupg and apt (Debian)")
def test_signed_repository_installs_with_signed_by_and_refuses_tampering(tmp_path, gpg_key):
    """apt accepts the signed repository under signed-by, and refuses a forged key or index."""
    signer = gpg_key("release")
    repo = tmp_path / "repo"
    keyring = _apt_repo_module().publish(repo, [_mini_deb(tmp_path)], signer, tmp_path / "gnupg-release")
    assert (repo / "dists/stable/InRelease").is_file() and (repo / "dists/stable/Release.gpg").is_file()
    assert os.access(repo / "install-clinic-app", os.X_OK)

    update = _apt(tmp_path, repo, keyring, "update")
    assert update.returncode == 0 and "W:" not in update.stdout + update.stderr, update.stderr
    fetched = _apt(tmp_path, repo, keyring, "download", "clinic-app-scripts-test")
    assert fetched.returncode == 0, fetched.stderr
    assert list(tmp_path.glob("clinic-app-scripts-test_1.0_all.deb"))

    # A site that pinned another key gets nothing from this repository.
    stranger = gpg_key("other")
    other = tmp_path / "other.gpg"
    other.write_bytes(subprocess.run(["gpg", "--batch", "--export", stranger], check=True, capture_output=True,
                                     env=dict(os.environ, GNUPGHOME=str(tmp_path / "gnupg-other"))).stdout)
    shutil.rmtree(tmp_path / "apt")
    refused = _apt(tmp_path, repo, other, "update")
    assert "NO_PUBKEY" in refused.stdout + refused.stderr or "not signed" in refused.stdout + refused.stderr

    # An index edited after signing is refused even with the right key.
    shutil.rmtree(tmp_path / "apt")
    import gzip

    packages = repo / "dists/stable/main/binary-amd64/Packages"
    forged = packages.read_text() + "\nPackage: injected\nVersion: 1\n"
    packages.write_text(forged)
    for compressed in packages.parent.glob("Packages.*"):  # apt prefers a compressed index
        compressed.unlink()
    (packages.parent / "Packages.gz").write_bytes(gzip.compress(forged.encode()))
    tampered = _apt(tmp_path, repo, keyring, "update")
    text = tampered.stdout + tampered.stderr
    assert tampered.returncode != 0 or "Hash Sum mismatch" in text or "E:" in text, text
    assert not list((tmp_path / "apt/state/lists").glob("*Packages"))


def test_installer_defaults_to_the_cpu_package_without_an_nvidia_driver(tmp_path):
    """The install helper picks clinic-app-cpu unless a driver is loaded, and says why."""
    script = LINUX / "install-clinic-app"

    def choose(*args: str, proc: Path) -> str:
        done = subprocess.run(["sh", str(script), "--dry-run", *args], capture_output=True, text=True,
                              env={**os.environ, "CLINIC_APP_NVIDIA_PROC": str(proc)}, check=True)
        return done.stdout

    absent = choose(proc=tmp_path / "missing")
    assert "installing clinic-app-cpu because no NVIDIA driver is loaded" in absent
    fake = tmp_path / "version"
    fake.write_text("NVRM version: NVIDIA UNIX x86_64 Kernel Module  550.54.14  Thu Feb 22 01:44:30 UTC 2024\n")
    present = choose(proc=fake)
    assert "installing clinic-app because an NVIDIA driver is loaded (550.54.14)" in present
    assert "installing clinic-app-cpu because --cpu was given" in choose("--cpu", proc=fake)
    bad = subprocess.run(["sh", str(script), "--bogus"], capture_output=True, text=True, check=False)
    assert bad.returncode == 2 and "unknown option" in bad.stderr
