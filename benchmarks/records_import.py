"""Records import: 1,000 patients x 50 observations into the encrypted store.

Each case runs in its own process so its peak memory (max RSS) is its own. Cases:

  service-bundle   RecordsService.import_files on one FHIR collection Bundle (the real path:
                   login session, parse, checks, one transaction, per-patient audit events)
  service-ndjson   the same facts as Bulk Data NDJSON (Patient.ndjson, Observation.ndjson, …)
  service-csv      the same observations through the two CSV templates
  parse-only       FHIR bundle parse and checks, no store (the reader's share)
  memsec-off       service-bundle with SQLCipher's cipher_memory_security left off (the
                   foundation turns it on; this case shows what that setting costs)
  baseline-sqlite  plain stdlib sqlite3 (no encryption, no checks) inserting the same
                   already-prepared observation rows in one transaction: the floor
  baseline-naive   SQLCipher, one transaction (commit) per observation, as a naive importer
                   would do; timed on the first 2,000 rows and reported per observation

Target: >= 20,000 observations/s into the encrypted store (service-bundle).

Run:  .venv/bin/python benchmarks/records_import.py [--patients 1000] [--per-patient 50]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

PASSWORD = "benchmark-phys-pw-1"
NOW = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _services(root: Path, memsec: bool = True):
    if not memsec:
        import sqlcipher3

        from clinic_app.core.store import database

        class NoMemorySecurity(sqlcipher3.Connection):  # type: ignore[misc]
            def execute(self, sql, *args):
                return super().execute("SELECT 1" if "cipher_memory_security" in sql else sql,
                                       *args)

        original = sqlcipher3.connect

        class Module:
            Row = sqlcipher3.Row

            @staticmethod
            def connect(*a, **k):
                return original(*a, factory=NoMemorySecurity, **k)

        database.sqlcipher3 = Module  # type: ignore[assignment]
    from clinic_app.config import Settings
    from clinic_app.core.clock import ManualClock
    from clinic_app.core.security.roles import Role
    from clinic_app.services import Services
    from clinic_app.services.auth import NewAccount

    services = Services(Settings(store_dir=root / "store"), clock=ManualClock(NOW))
    services.auth.init_store(NewAccount("admin", Role.ADMIN, "benchmark-admin-pw"),
                             [NewAccount("phys", Role.PHYSICIAN, PASSWORD)])
    session = services.auth.login("phys", PASSWORD)
    services.auth.change_password(session, PASSWORD, PASSWORD + "x")
    return services, services.auth.login("phys", PASSWORD + "x")


def _prepared_rows(data: Path) -> list[tuple]:
    """The observation rows exactly as the importer writes them (patient keys 1..N)."""
    from clinic_app.core.clock import iso
    from clinic_app.core.records.fhir import read_json

    parsed = read_json((data / "bundle.json").read_text(), "bundle.json", NOW)
    keys = {f"Patient/{p.resource_id.split('/', 1)[1]}": i + 1
            for i, p in enumerate(parsed.patients)}
    return [(keys[o.subject.reference], o.name, o.code, iso(o.effective), o.value, o.unit,
             o.value_code, o.original_value or None, o.original_unit or None, o.status,
             "\n".join(o.flags) or None, 1, o.resource_id) for o in parsed.observations]


def run_case(case: str, data: Path, work: Path) -> dict[str, float]:
    from clinic_app.core.records.repository import _INSERT_OBSERVATION, MIGRATIONS

    if case == "parse-only":
        from clinic_app.core.records.files import parse_file

        t0 = time.perf_counter()
        parsed, _ = parse_file(data / "bundle.json", NOW)
        elapsed = time.perf_counter() - t0
        return {"seconds": elapsed, "observations": len(parsed.observations)}
    if case.startswith("baseline"):
        rows = _prepared_rows(data)
        n_patients = max(r[0] for r in rows)
        if case == "baseline-sqlite":
            conn = sqlite3.connect(work / "plain.db", isolation_level=None)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
            for statement in MIGRATIONS[0].split(";"):
                if statement.strip():
                    conn.execute(statement)
            conn.execute("INSERT INTO records_imports(source_file, sha256, format, imported_at)"
                         " VALUES ('b', '', 'x', '')")
            conn.executemany("INSERT INTO records_patients(id, mrn, sex, import_id, resource_id)"
                             " VALUES (?, ?, 'unknown', 1, '')",
                             [(i, f"M{i}") for i in range(1, n_patients + 1)])
            t0 = time.perf_counter()
            conn.execute("BEGIN")
            conn.executemany(_INSERT_OBSERVATION, rows)
            conn.execute("COMMIT")
            return {"seconds": time.perf_counter() - t0, "observations": len(rows)}
        from clinic_app.core.store.database import Database, migrate

        db = Database(work / "naive.db", os.urandom(32), create=True)
        migrate(db, "records", MIGRATIONS)
        db.execute("INSERT INTO records_imports(source_file, sha256, format, imported_at)"
                   " VALUES ('b', '', 'x', '')")
        db.executemany("INSERT INTO records_patients(id, mrn, sex, import_id, resource_id)"
                       " VALUES (?, ?, 'unknown', 1, '')",
                       [(i, f"M{i}") for i in range(1, n_patients + 1)])
        sample = rows[:2000]
        t0 = time.perf_counter()
        for row in sample:
            db.execute(_INSERT_OBSERVATION, row)  # autocommit: one transaction per row
        per_row = (time.perf_counter() - t0) / len(sample)
        return {"seconds": per_row * len(rows), "observations": len(rows), "extrapolated": 1}
    services, session = _services(work, memsec=(case != "memsec-off"))
    files = {"service-bundle": [data / "bundle.json"], "memsec-off": [data / "bundle.json"],
             "service-ndjson": sorted((data / "ndjson").glob("*.ndjson")),
             "service-csv": [data / "csv" / "patients.csv", data / "csv" / "observations.csv"]}
    t0 = time.perf_counter()
    report = services.records.import_files(session, files[case])
    elapsed = time.perf_counter() - t0
    if not report.ok:
        raise SystemExit(f"{case}: import failed: {report.as_json()['errors'][:3]}")
    return {"seconds": elapsed, "observations": report.total("observations")}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--patients", type=int, default=1000)
    ap.add_argument("--per-patient", type=int, default=50)
    ap.add_argument("--case", help=argparse.SUPPRESS)
    ap.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.case:
        with tempfile.TemporaryDirectory() as work:
            result = run_case(args.case, args.data, Path(work))
        result["max_rss_mib"] = _rss_mib()
        print(json.dumps(result))
        return 0

    from clinic_app.synthetic.cohort import generate_cohort

    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp)
        cohort = generate_cohort(args.patients, seed=0, as_of=datetime(2025, 12, 31, tzinfo=UTC),
                                 observations_per_patient=args.per_patient)
        cohort.write_bundle(data / "bundle.json")
        cohort.write_ndjson(data / "ndjson")
        cohort.write_csv(data / "csv")
        size = (data / "bundle.json").stat().st_size / 2**20
        print(f"{args.patients} patients x {args.per_patient} observations; bundle {size:.1f} MiB")
        print(f"machine load (1 min) at start: {os.getloadavg()[0]:.2f}\n")
        results = {}
        for case in ("parse-only", "service-bundle", "service-ndjson", "service-csv",
                     "memsec-off", "baseline-sqlite", "baseline-naive"):
            out = subprocess.run([sys.executable, __file__, "--case", case, "--data", str(data)],
                                 capture_output=True, text=True, check=True)
            results[case] = json.loads(out.stdout.strip().splitlines()[-1])
    ours = results["service-bundle"]
    rate = ours["observations"] / ours["seconds"]
    print(f"{'case':18} {'obs':>7} {'seconds':>8} {'obs/s':>9} {'peak MiB':>9} "
          f"{'time / service-bundle':>22}")
    for case, r in results.items():
        obs_s = r["observations"] / r["seconds"]
        note = " (extrapolated from 2,000 rows)" if r.get("extrapolated") else ""
        print(f"{case:18} {r['observations']:>7} {r['seconds']:>8.2f} {obs_s:>9.0f} "
              f"{r['max_rss_mib']:>9.0f} {r['seconds'] / ours['seconds']:>21.2f}x{note}")
    print(f"\ntarget >= 20,000 observations/s into the encrypted store: {rate:,.0f}/s -> "
          f"{'MET' if rate >= 20_000 else 'NOT MET'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
