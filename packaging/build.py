"""Build clinic-app's Linux deliverables: PyInstaller bundles, .tar.gz archives and .deb packages.

    packaging/build.sh                         # GPU and CPU variants, bundle + tar.gz + .deb
    packaging/build.sh --variant cpu --no-self-test   # skip the bundle self-test (it runs by default)
    packaging/build.sh --variant gpu --no-deb --no-tar

Outputs go to packaging/out/ (git-ignored):

    out/<variant>/dist/clinic-app/                 the one-folder bundle
    out/clinic-app-<version>-linux-x86_64-<variant>.tar.gz
    out/clinic-app_<version>_amd64.deb             GPU variant   (package clinic-app)
    out/clinic-app-cpu_<version>_amd64.deb         CPU variant   (package clinic-app-cpu)
    out/<package>_<version>_amd64.cdx.json         CycloneDX SBOM of the bundle (packaging/sbom.py)
    out/build-<variant>.json                       sizes, times, Depends, glibc floor

What the build checks, so a broken bundle never leaves this script:
  * the CPU variant holds no CUDA/TensorRT provider library and the GPU variant holds both;
  * ``clinic-app --version`` and ``--self-test`` run from the bundle (--no-self-test skips the latter);
  * every ELF file in the bundle resolves each library it needs either inside the bundle
    or from an installed Debian package; dpkg-shlibdeps turns those packages into the
    .deb's Depends (with versions), so the package cannot forget an OS library.
See packaging/README.md for the layout of the .deb and the Windows and macOS builds.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))  # sibling build modules, when run as a script

from sbom import write_sbom  # noqa: E402

REPO = HERE.parent
SPEC = HERE / "clinic-app.spec"
LINUX = HERE / "linux"
ICONS = REPO / "clinic_app" / "resources" / "icons"
DEFAULT_OUT = HERE / "out"
INSTALL_DIR = "opt/clinic-app"
GPU_PROVIDERS = ("libonnxruntime_providers_cuda.so", "libonnxruntime_providers_tensorrt.so")

#: OS libraries the issue and Qt's xcb platform require even if the scan below found them
#: through another package: they are what a fresh Debian 12 desktop may lack.
BASE_DEPENDS = [
    "libegl1", "libgl1", "libxkbcommon0", "libxkbcommon-x11-0", "libxcb1", "libx11-xcb1",
    "libxcb-cursor0", "libxcb-icccm4", "libxcb-image0", "libxcb-keysyms1", "libxcb-randr0",
    "libxcb-render-util0", "libxcb-shape0", "libxcb-xfixes0", "libxcb-xkb1", "libxcb-sync1",
    "libxcb-shm0", "libfontconfig1", "fontconfig", "libfreetype6", "libdbus-1-3",
    "fonts-dejavu-core | fonts-liberation2 | fonts-noto-core",
    # Chinese interface and report (issue 21): fpdf2 embeds Noto Sans CJK's SC face.
    "fonts-noto-cjk | fonts-wqy-microhei",
]
#: Sonames the bundle may need that no Debian package provides; the GPU provider loads
#: them from the NVIDIA driver stack (packaging/README.md), and the self-test reports
#: when they are missing on a machine with a GPU.
NVIDIA_STACK = re.compile(r"^lib(cuda|cudart|cublas|cublasLt|cudnn\w*|curand|cufft|cusparse|"
                          r"nvinfer\w*|nvonnxparser|nvrtc\w*|nvJitLink)\.so")


class BuildError(Exception):
    """The build cannot produce a correct deliverable; the message says what to fix."""


@dataclass
class VariantResult:
    variant: str
    version: str
    bundle: str = ""
    bundle_bytes: int = 0
    seconds_pyinstaller: float = 0.0
    seconds_total: float = 0.0
    self_test_seconds: float | None = None
    glibc_floor: str = ""
    depends: list[str] = field(default_factory=list)
    tarball: str = ""
    tarball_bytes: int = 0
    deb: str = ""
    deb_bytes: int = 0
    deb_installed_kib: int = 0
    sbom: str = ""


# -- helpers ---------------------------------------------------------------------------

def log(message: str) -> None:
    print(f"[build] {message}", flush=True)


def run(argv: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, check=False, text=True, capture_output=True, **kwargs)  # type: ignore[call-overload]


def tree_bytes(root: Path) -> int:
    total = 0
    for path in root.rglob("*"):
        if path.is_file() and not path.is_symlink():
            total += path.stat().st_size
    return total


def is_elf(path: Path) -> bool:
    if path.is_symlink() or not path.is_file():
        return False
    with open(path, "rb") as fh:
        return fh.read(4) == b"\x7fELF"


def version() -> str:
    text = (REPO / "clinic_app" / "__init__.py").read_text(encoding="utf-8")
    match = re.search(r'^__version__ = "([^"]+)"', text, re.M)
    if not match:
        raise BuildError("clinic_app/__init__.py has no __version__")
    return match.group(1)


def git_revision() -> str:
    head = run(["git", "-C", str(REPO), "rev-parse", "--short=12", "HEAD"])
    if head.returncode:
        return "unknown"
    dirty = run(["git", "-C", str(REPO), "status", "--porcelain", "--untracked-files=no"])
    return head.stdout.strip() + ("+dirty" if dirty.stdout.strip() else "")


def source_date_epoch() -> int:
    """Commit time (reproducible archives), overridable with SOURCE_DATE_EPOCH."""
    if os.environ.get("SOURCE_DATE_EPOCH"):
        return int(os.environ["SOURCE_DATE_EPOCH"])
    out = run(["git", "-C", str(REPO), "log", "-1", "--format=%ct"])
    return int(out.stdout.strip()) if out.returncode == 0 and out.stdout.strip() else int(time.time())


# -- preflight -------------------------------------------------------------------------

def preflight(args: argparse.Namespace) -> None:
    if not sys.platform.startswith("linux"):
        raise BuildError("build.py builds the Linux deliverables; see packaging/README.md for "
                         "Windows and macOS.")
    if run([sys.executable, "-c", "import PyInstaller"]).returncode:
        raise BuildError(f"PyInstaller is not installed for {sys.executable}: "
                         ".venv/bin/pip install -e '.[package]'")
    dists = run([sys.executable, "-m", "pip", "list", "--format=json"])
    names = {d["name"].lower() for d in json.loads(dists.stdout or "[]")}
    if {"onnxruntime", "onnxruntime-gpu"} <= names:
        raise BuildError("both onnxruntime and onnxruntime-gpu are installed; they overwrite "
                         "each other. pip uninstall -y onnxruntime && pip install "
                         "--force-reinstall --no-deps onnxruntime-gpu")
    if not args.no_deb:
        for tool in ("dpkg-deb", "dpkg-shlibdeps", "dpkg"):
            if shutil.which(tool) is None:
                raise BuildError(f"{tool} is missing: apt-get install dpkg-dev")


# -- the bundle ------------------------------------------------------------------------

def build_bundle(variant: str, out: Path, result: VariantResult) -> Path:
    work, dist = out / variant / "work", out / variant / "dist"
    env = dict(os.environ, CLINIC_APP_VARIANT=variant, PYTHONHASHSEED="0")
    log(f"{variant}: PyInstaller (one-folder) ...")
    started = time.perf_counter()
    done = run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
                "--distpath", str(dist), "--workpath", str(work), str(SPEC)], env=env, cwd=REPO)
    result.seconds_pyinstaller = time.perf_counter() - started
    if done.returncode:
        raise BuildError(f"PyInstaller failed:\n{done.stderr[-4000:]}")
    bundle = dist / "clinic-app"
    check_variant(bundle, variant)
    for doc in (REPO / "docs" / "configuration.md", HERE / "README.md"):
        if doc.exists():
            (bundle / "docs").mkdir(exist_ok=True)
            shutil.copy2(doc, bundle / "docs" / ("packaging.md" if doc.name == "README.md"
                                                  else doc.name))
    result.glibc_floor = glibc_floor(bundle)
    info = {"name": "clinic-app", "version": result.version, "variant": variant,
            "built": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "revision": git_revision(), "python": sys.version.split()[0],
            "glibc_floor": result.glibc_floor}
    (bundle / "_internal" / "bundle-info.json").write_text(json.dumps(info, indent=1) + "\n",
                                                           encoding="utf-8")
    result.bundle, result.bundle_bytes = str(bundle), tree_bytes(bundle)
    log(f"{variant}: bundle {result.bundle_bytes / 1e6:.0f} MB in "
        f"{result.seconds_pyinstaller:.0f} s, glibc >= {result.glibc_floor}")
    return bundle


def check_variant(bundle: Path, variant: str) -> None:
    found = {p.name for p in (bundle / "_internal").rglob("libonnxruntime_providers_*.so")}
    gpu = [name for name in GPU_PROVIDERS if name in found]
    if variant == "cpu" and gpu:
        raise BuildError(f"CPU variant still holds {', '.join(gpu)}")
    if variant == "gpu" and len(gpu) != len(GPU_PROVIDERS):
        raise BuildError("GPU variant lacks onnxruntime's CUDA/TensorRT providers: is "
                         "onnxruntime-gpu (not onnxruntime) installed?")


def glibc_floor(bundle: Path) -> str:
    """The newest GLIBC_x.y symbol version any ELF file in the bundle needs."""
    newest = (0, 0)
    for path in bundle.rglob("*"):
        if not is_elf(path):
            continue
        out = run(["objdump", "-T", str(path)])
        for major, minor in re.findall(r"GLIBC_(\d+)\.(\d+)", out.stdout):
            newest = max(newest, (int(major), int(minor)))
    return f"{newest[0]}.{newest[1]}"


def smoke_test(bundle: Path, variant: str, self_test: bool, result: VariantResult) -> None:
    exe = bundle / "clinic-app"
    done = run([str(exe), "--version"])
    if done.returncode or result.version not in done.stdout:
        raise BuildError(f"{exe} --version failed: {done.stdout}{done.stderr}")
    if not self_test:
        return
    log(f"{variant}: --self-test from the bundle ...")
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, CLINIC_APP_SITE_CONFIG=os.devnull,
                   CLINIC_APP_USER_CONFIG=os.devnull, QT_QPA_PLATFORM="offscreen",
                   XDG_STATE_HOME=str(Path(tmp) / "state"))
        env.pop("CLINIC_APP_STORE", None)
        started = time.perf_counter()
        done = run([str(exe), "--store", str(Path(tmp) / "store"), "--self-test"], env=env)
        result.self_test_seconds = time.perf_counter() - started
    print(done.stdout, end="")
    if done.returncode:
        raise BuildError(f"the {variant} bundle failed its self-test (above){done.stderr}")


# -- .tar.gz ---------------------------------------------------------------------------

def make_tarball(bundle: Path, variant: str, out: Path, result: VariantResult) -> None:
    name = f"clinic-app-{result.version}-linux-x86_64-{variant}.tar.gz"
    target = out / name
    log(f"{variant}: {name} ...")
    # Sorted names, fixed owner and time, no gzip timestamp: the same bundle gives the
    # same archive. pigz (parallel gzip) when installed, else gzip.
    gzip_tool = "pigz -n -6" if shutil.which("pigz") else "gzip -n -6"
    done = run(["tar", "--sort=name", "--owner=0", "--group=0", "--numeric-owner",
                f"--mtime=@{source_date_epoch()}", "-I", gzip_tool, "-cf", str(target),
                "-C", str(bundle.parent), bundle.name])
    if done.returncode:
        raise BuildError(f"tar failed: {done.stderr}")
    result.tarball, result.tarball_bytes = str(target), target.stat().st_size


# -- .deb ------------------------------------------------------------------------------

def package_name(variant: str) -> str:
    return "clinic-app" if variant == "gpu" else "clinic-app-cpu"


def stage_deb(bundle: Path, variant: str, root: Path) -> None:
    """Lay out the package's files under ``root`` exactly as they will be installed."""
    pkg = package_name(variant)
    shutil.copytree(bundle, root / INSTALL_DIR, symlinks=True)
    (root / "usr/bin").mkdir(parents=True)
    # Relative, so it also works in a root unpacked with dpkg -x or dpkg --root.
    os.symlink(f"../../{INSTALL_DIR}/clinic-app", root / "usr/bin/clinic-app")
    apps = root / "usr/share/applications"
    apps.mkdir(parents=True)
    shutil.copy2(LINUX / "clinic-app.desktop", apps / "clinic-app.desktop")
    scalable = root / "usr/share/icons/hicolor/scalable/apps"
    scalable.mkdir(parents=True)
    shutil.copy2(ICONS / "clinic-app.svg", scalable / "clinic-app.svg")
    for png in ICONS.glob("clinic-app-*.png"):
        size = png.stem.rsplit("-", 1)[1]
        folder = root / f"usr/share/icons/hicolor/{size}x{size}/apps"
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copy2(png, folder / "clinic-app.png")
    etc = root / "etc/clinic-app"
    etc.mkdir(parents=True)
    shutil.copy2(LINUX / "config.toml", etc / "config.toml")
    doc = root / f"usr/share/doc/{pkg}"
    doc.mkdir(parents=True)
    (doc / "copyright").write_text(
        "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n"
        "Upstream-Name: clinic-app\n\n"
        "Files: *\nCopyright: the clinic-app authors\nLicense: proprietary\n"
        " All rights reserved.\n\n"
        f"Files: {INSTALL_DIR}/_internal/*\nCopyright: their respective authors\n"
        "License: various\n Third-party components (Python, Qt/PySide6 under LGPL-3.0, "
        "onnxruntime, pydicom,\n codecs, OpenSSL, ...) keep their own licenses; each "
        "one's license text is\n in its *.dist-info folder under "
        f"/{INSTALL_DIR}/_internal.\n", encoding="utf-8")
    changelog = f"{pkg} ({version()}) stable; urgency=medium\n\n  * Release {version()}.\n"
    with gzip.GzipFile(doc / "changelog.gz", "wb", mtime=0, compresslevel=9) as gz:
        gz.write(changelog.encode())
    normalise_permissions(root)


def normalise_permissions(root: Path) -> None:
    """Directories and programs 0755; everything else, shared objects included, 0644."""
    for path in [root, *root.rglob("*")]:
        if path.is_symlink():
            continue
        path.chmod(0o755 if path.is_dir() or is_program(path) else 0o644)


def is_program(path: Path) -> bool:
    """An ELF executable (not a shared object) or a script with a #! line."""
    with open(path, "rb") as fh:
        head = fh.read(18)
    if head[:2] == b"#!":
        return True
    # e_type at offset 16: 2 = executable (shared objects are 3, like PIE executables,
    # so a PIE program is recognised by having no .so in its name).
    return (len(head) == 18 and head[:4] == b"\x7fELF" and ".so" not in path.name
            and head[16] in (2, 3))


def compute_depends(root: Path, variant: str) -> list[str]:
    """Depends from the libraries the bundle's ELF files need (dpkg-shlibdeps)."""
    bundle = root / INSTALL_DIR
    elves = [p for p in bundle.rglob("*") if is_elf(p)]
    lib_dirs = sorted({str(p.parent) for p in elves})
    env = dict(os.environ, LD_LIBRARY_PATH=":".join(lib_dirs))
    missing: dict[str, set[str]] = {}
    checked: list[Path] = []
    for elf in elves:
        out = run(["ldd", str(elf)], env=env)
        absent = set(re.findall(r"^\s*(\S+) => not found", out.stdout, re.M))
        nvidia = {name for name in absent if NVIDIA_STACK.match(name)}
        if nvidia and variant == "gpu":
            continue  # an onnxruntime GPU provider: its libraries come from the NVIDIA stack
        for name in absent - nvidia:
            missing.setdefault(name, set()).add(str(elf.relative_to(bundle)))
        checked.append(elf)
    if missing:
        lines = [f"  {name} (needed by {', '.join(sorted(users)[:2])})"
                 for name, users in sorted(missing.items())]
        raise BuildError("libraries needed by the bundle are not installed on this build "
                         "machine, so the package cannot declare them:\n" + "\n".join(lines) +
                         "\nInstall the packages that provide them (see packaging/README.md, "
                         "Build machine) and rebuild.")
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "debian").mkdir()
        (Path(tmp) / "debian/control").write_text(
            "Source: clinic-app\n\nPackage: clinic-app\nArchitecture: any\n", encoding="utf-8")
        done = run(["dpkg-shlibdeps", "-O", "--ignore-missing-info", "--warnings=1",
                    *[f"-l{d}" for d in lib_dirs], "-e", *map(str, checked)], cwd=tmp)
    if done.returncode:
        raise BuildError(f"dpkg-shlibdeps failed:\n{done.stderr[-3000:]}")
    match = re.search(r"^shlibs:Depends=(.*)$", done.stdout, re.M)
    found = [d.strip() for d in match.group(1).split(",")] if match else []
    return merge_depends(found, BASE_DEPENDS)


def merge_depends(found: list[str], base: list[str]) -> list[str]:
    """Union by package name, keeping a versioned entry over a bare one."""
    by_name: dict[str, str] = {}
    for entry in [*found, *base]:
        name = entry.split()[0]
        if name not in by_name or ("(" in entry and "(" not in by_name[name]):
            by_name[name] = entry
    return sorted(by_name.values())


def write_control(root: Path, variant: str, depends: list[str]) -> None:
    pkg = package_name(variant)
    other = package_name("cpu" if variant == "gpu" else "gpu")
    installed_kib = tree_bytes(root) // 1024 + 1
    arch = run(["dpkg", "--print-architecture"]).stdout.strip() or "amd64"
    flavour = ("with the CUDA and TensorRT providers (CUDA and cuDNN come from the NVIDIA "
               "driver stack)" if variant == "gpu" else "CPU-only build (no GPU providers)")
    control = (
        f"Package: {pkg}\nVersion: {version()}\nArchitecture: {arch}\n"
        "Maintainer: clinic-app IT packaging <it-packaging@clinic-app.invalid>\n"
        f"Installed-Size: {installed_kib}\nSection: science\nPriority: optional\n"
        f"Depends: {', '.join(depends)}\n"
        + (f"Provides: {other}\n" if variant == "cpu" else "")
        + f"Conflicts: {other}\nReplaces: {other}\n"
        "Homepage: https://clinic-app.invalid/\n"
        "Description: desktop clinician assistant (DICOM review, AI findings, risk scores)\n"
        " clinic-app reviews DICOM studies with AI findings, computes explained risk\n"
        " scores from FHIR/CSV records, and keeps everything in an encrypted local\n"
        " store with per-user keys, roles and a tamper-evident audit log.\n"
        " .\n"
        f" This package is the {flavour}. It installs to /{INSTALL_DIR}; run\n"
        " 'clinic-app --self-test' after installing.\n")
    debian = root / "DEBIAN"
    debian.mkdir(mode=0o755)
    (debian / "control").write_text(control, encoding="utf-8")
    (debian / "conffiles").write_text("/etc/clinic-app/config.toml\n", encoding="utf-8")
    for script in ("postinst", "postrm"):
        shutil.copy2(LINUX / script, debian / script)
        (debian / script).chmod(0o755)
    sums = []
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if path.is_file() and not path.is_symlink() and not rel.startswith(("DEBIAN/", "etc/")):
            sums.append(f"{hashlib.md5(path.read_bytes()).hexdigest()}  {rel}\n")  # noqa: S324 - dpkg's format
    (debian / "md5sums").write_text("".join(sums), encoding="utf-8")
    for path in debian.iterdir():
        if path.name not in ("postinst", "postrm"):
            path.chmod(0o644)


def make_deb(bundle: Path, variant: str, out: Path, compression: str,
             result: VariantResult) -> None:
    pkg = package_name(variant)
    with tempfile.TemporaryDirectory(dir=out) as tmp:
        root = Path(tmp) / "root"
        log(f"{variant}: staging {pkg} ...")
        stage_deb(bundle, variant, root)
        log(f"{variant}: computing Depends (ldd + dpkg-shlibdeps) ...")
        depends = compute_depends(root, variant)
        write_control(root, variant, depends)
        arch = run(["dpkg", "--print-architecture"]).stdout.strip() or "amd64"
        target = out / f"{pkg}_{version()}_{arch}.deb"
        log(f"{variant}: dpkg-deb ({compression}) -> {target.name} ...")
        env = dict(os.environ, SOURCE_DATE_EPOCH=str(source_date_epoch()))
        level = ["-z9"] if compression == "zstd" else []
        done = run(["dpkg-deb", "--root-owner-group", f"-Z{compression}", *level, "--build",
                    str(root), str(target)], env=env)
        if done.returncode:
            raise BuildError(f"dpkg-deb failed: {done.stderr}")
    result.depends = depends
    result.deb, result.deb_bytes = str(target), target.stat().st_size
    result.deb_installed_kib = int(re.search(
        r"Installed-Size: (\d+)", run(["dpkg-deb", "-f", str(target)]).stdout).group(1))  # type: ignore[union-attr]


# -- driver ----------------------------------------------------------------------------

def build_variant(variant: str, args: argparse.Namespace) -> VariantResult:
    started = time.perf_counter()
    result = VariantResult(variant, version())
    bundle = build_bundle(variant, args.out, result)
    smoke_test(bundle, variant, args.self_test, result)
    if not args.no_tar:
        make_tarball(bundle, variant, args.out, result)
    if not args.no_deb:
        make_deb(bundle, variant, args.out, args.compression, result)
    # The SBOM describes the bundle that was shipped, beside the .deb and the tar.gz.
    sbom = args.out / f"{package_name(variant)}_{result.version}_amd64.cdx.json"
    write_sbom(bundle, sbom, app_version=result.version, variant=variant)
    result.sbom = str(sbom)
    log(f"{variant}: SBOM -> {sbom.name}")
    result.seconds_total = time.perf_counter() - started
    (args.out / f"build-{variant}.json").write_text(json.dumps(asdict(result), indent=1) + "\n",
                                                    encoding="utf-8")
    return result


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--variant", choices=("gpu", "cpu", "both"), default="both")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder")
    parser.add_argument("--no-self-test", dest="self_test", action="store_false",
                        help="skip clinic-app --self-test from each bundle (by default it runs and "
                             "a FAIL fails the build)")
    parser.add_argument("--no-tar", action="store_true", help="skip the .tar.gz")
    parser.add_argument("--no-deb", action="store_true", help="skip the .deb")
    parser.add_argument("--compression", choices=("zstd", "xz", "gzip", "none"), default="zstd",
                        help="dpkg-deb compression (default zstd -9: 7 s for the CPU bundle; xz "
                             "is 18%% smaller and takes about 4 minutes on 2 cores)")
    args = parser.parse_args(argv)
    args.out = args.out.resolve()
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        preflight(args)
        args.out.mkdir(parents=True, exist_ok=True)
        variants = ("gpu", "cpu") if args.variant == "both" else (args.variant,)
        for variant in variants:
            r = build_variant(variant, args)
            log(f"{variant}: done in {r.seconds_total:.0f} s: bundle {r.bundle_bytes / 1e6:.0f} MB"
                + (f", tar.gz {r.tarball_bytes / 1e6:.0f} MB" if r.tarball else "")
                + (f", .deb {r.deb_bytes / 1e6:.0f} MB ({r.deb_installed_kib / 1024:.0f} MB "
                   "installed)" if r.deb else ""))
    except BuildError as exc:
        print(f"[build] FAILED: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
