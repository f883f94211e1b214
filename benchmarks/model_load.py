"""Getting a verified model session on each use: kept while unchanged, against re-verifying.

    .venv/bin/python benchmarks/model_load.py [--mb 100] [--repeat 20] [--slices 40]

Baseline (named "re-verify"): what every use did before, and what ``models verify`` still
does: read every file of the package, hash it, check the manifest, trust and ONNX graph,
then look the session up by manifest hash. Measured: the catalogue's ``session()`` per
shipped model and for a synthetic package with an ``--mb`` MiB file; a stored
``risk.score_patient`` with every risk model; ``analysis.analyze`` of a ``--slices``-slice CT
with the shipped CT demo model (both through the services, on a fresh store); and the
first run of the CT model on a 352x352 batch of 8 with and without the warm-up. Medians;
runs interleaved so machine load hits both alike. The store-path numbers include Argon2id
logins once, outside the timing.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from clinic_app.config import Settings  # noqa: E402
from clinic_app.core.inference.package import TrustPolicy, TrustStore  # noqa: E402
from clinic_app.core.inference.registry import ModelRegistry, PackageRoot  # noqa: E402
from clinic_app.core.inference.runtime import RuntimeOptions  # noqa: E402
from clinic_app.services.models import ModelCatalog, offline_registry  # noqa: E402

RISK = ["cha2ds2-vasc", "framingham-cvd-10y", "meld-unos", "pce-ascvd-10y", "pima-diabetes-demo"]


def median_ms(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def pair(label: str, cached: Callable[[], object], baseline: Callable[[], object],
         repeat: int) -> None:
    cached()
    baseline()
    kept, again = [], []
    for _ in range(repeat):  # interleaved
        kept.append(median_ms(cached, 1))
        again.append(median_ms(baseline, 1))
    k, b = statistics.median(kept), statistics.median(again)
    print(f"{label:44s} kept {k:9.2f} ms   re-verify {b:9.2f} ms   {b / max(k, 1e-6):7.1f}x")


def catalogue_cases(args: argparse.Namespace, tmp: Path) -> None:
    options = RuntimeOptions(gpu_preference="cpu")
    shipped = ModelCatalog(offline_registry(Settings(store_dir=tmp / "no-store")), options)
    for pid in [*RISK, "cr-nodule-demo", "ct-hyperdense-lesion-demo"]:
        pair(f"session({pid})", lambda p=pid: shipped.session(p),
             lambda p=pid: shipped.session(p, fresh=True), args.repeat)
    sys.path.insert(0, str(REPO / "tests"))
    from tests.model_support import make_package

    site = tmp / "site"
    make_package(site, extra={"weights.bin": (os.urandom(args.mb << 20), "document")})
    big = ModelCatalog(ModelRegistry([PackageRoot(site, "site")], TrustStore(),
                                     TrustPolicy(allow_unsigned=True)), options)
    pair(f"session(site package, {args.mb} MiB)", lambda: big.session("toy-scale"),
         lambda: big.session("toy-scale", fresh=True), max(3, args.repeat // 4))


def service_cases(args: argparse.Namespace, tmp: Path) -> None:
    from clinic_app.core.security.roles import Role
    from clinic_app.services import Services
    from clinic_app.services.store_init import NewAccount
    from clinic_app.synthetic.dicom_series import write_ct_series

    services = Services(Settings(store_dir=tmp / "store", log_dir=tmp / "logs",
                                 gpu_preference="cpu"))
    users = {"phys": Role.PHYSICIAN, "rad": Role.RADIOLOGIST}
    services.auth.init_store(NewAccount("admin", Role.ADMIN, "admin-password-1"),
                             [NewAccount(n, r, "first-password-1") for n, r in users.items()])
    for name in users:
        first = services.auth.login(name, "first-password-1")
        services.auth.change_password(first, "first-password-1", f"{name}-password-12")
        services.auth.logout(first)
    phys = services.auth.login("phys", "phys-password-12")
    bundle = tmp / "bundle.json"
    bundle.write_text(json.dumps({"resourceType": "Bundle", "type": "collection", "entry": [
        {"resource": {"resourceType": "Patient", "id": "p1", "gender": "male",
                      "birthDate": "1960-01-01",
                      "identifier": [{"system": "urn:mrn", "value": "MRN-1"}]}}]}))
    services.records.import_files(phys, [bundle])
    catalog = services.models.catalog(phys)

    def forget() -> None:  # the previous behaviour: nothing kept between uses
        catalog._verified.clear()

    pair("risk.score_patient (5 risk models)",
         lambda: services.risk.score_patient(phys, "MRN-1", store=False),
         lambda: (forget(), services.risk.score_patient(phys, "MRN-1", store=False)),
         args.repeat)
    rad = services.auth.login("rad", "rad-password-12")
    written = write_ct_series(tmp / "ct", slices=args.slices, rows=256, cols=256,
                              pixel_mm=1.0, spacing_mm=2.0)
    services.imaging.import_dicom(rad, [tmp / "ct"])
    catalog = services.models.catalog(rad)
    pair(f"analysis.analyze ({args.slices}-slice 256² CT, CT demo)",
         lambda: services.analysis.analyze(rad, written.study_uid, "ct-hyperdense-lesion-demo"),
         lambda: (catalog._verified.clear(),
                  services.analysis.analyze(rad, written.study_uid, "ct-hyperdense-lesion-demo")),
         max(3, args.repeat // 4))
    services.close()


def warmup_case(args: argparse.Namespace, tmp: Path, gpu: str) -> None:
    import numpy as np

    from clinic_app.core.inference.runtime import create_session

    contents = offline_registry(Settings(store_dir=tmp / "no-store")).load(
        "ct-hyperdense-lesion-demo")
    batch = {"image": np.random.default_rng(0).random((8, 1, 352, 352), dtype=np.float32)}
    for warm in (True, False):
        firsts, creates = [], []
        for _ in range(max(3, args.repeat // 4)):
            start = time.perf_counter()
            session = create_session(contents, RuntimeOptions(gpu_preference=gpu, warmup=warm))
            creates.append(time.perf_counter() - start)
            start = time.perf_counter()
            session.run(batch)
            firsts.append(time.perf_counter() - start)
        print(f"CT demo on {session.provider:26s} warm-up {'on ' if warm else 'off'}: session "
              f"{statistics.median(creates) * 1000:8.1f} ms, first run (8x352²) "
              f"{statistics.median(firsts) * 1000:8.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--slices", type=int, default=40)
    parser.add_argument("--gpu", choices=("auto", "cpu"), default="auto",
                        help="provider preference for the warm-up case")
    parser.add_argument("--only", choices=("catalogue", "services", "warmup"), nargs="*")
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f}, {os.cpu_count()} CPUs")
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        if not args.only or "catalogue" in args.only:
            catalogue_cases(args, tmp)
        if not args.only or "services" in args.only:
            service_cases(args, tmp)
        if not args.only or "warmup" in args.only:
            warmup_case(args, tmp, args.gpu)
    print(f"load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
