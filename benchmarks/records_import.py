"""Records import: 1,000 patients x 50 observations into the encrypted store.

Each case runs in its own process so its peak memory (max RSS) is its own. The service
cases run twice in one run: on this tree ("new") and on the tree at ``--before REV``
("today", default: the merge base with main, extracted with ``git archive``), so the
ratio is measured under the same machine load. Cases:

  service-mixed    the same bundle with 40 % of the observations recoded to LOINC codes no
                   model input uses (heart rate, haemoglobin, potassium, eGFR, …), as in a
                   real export: "today" skips them, "new" keeps every one; obs/s counts the
                   observations read

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

  export           (new tree) a 1,000-patient Bulk Data export folder with 80 observations
                   per patient (clinic_app/synthetic/bulk_export.py: manifest.json, gzip
                   Observation NDJSON, encounters, allergies, SCD and text-only drugs)
                   imported with `import records DIR`'s service call; goal <= 30 s, peak
                   memory < 400 MB
  export-sqlite    plain stdlib sqlite3 inserting the export's prepared observation rows
  lookups          terminology package: classes per medication (RxNorm SCD code, name
                   fallback with a cold and a warm cache) beside a plain dict lookup

Target: >= 20,000 observations/s into the encrypted store (service-mixed, every observation
kept).

Run:  .venv/bin/python benchmarks/records_import.py [--patients 1000] [--per-patient 50]
      [--before REV] [--all] [--export-compare] [--repeat N (3)]
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

# The tree under test comes first (CLINIC_TREE: "today's" code for the before cases).
sys.path.insert(0, os.environ.get("CLINIC_TREE") or str(Path(__file__).resolve().parents[1]))
#: Uninterpreted LOINC codes with plausible values/units (heart rate, haemoglobin,
#: potassium, eGFR, respiratory rate, platelets, ALT, TSH).
OTHER_CODES = (("8867-4", 72.0, "/min"), ("718-7", 13.5, "g/dL"), ("2823-3", 4.2, "mmol/L"),
               ("33914-3", 85.0, "mL/min/{1.73_m2}"), ("9279-1", 16.0, "/min"),
               ("777-3", 250.0, "10*3/uL"), ("1742-6", 25.0, "U/L"), ("3016-3", 1.8, "m[IU]/L"))

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
    try:
        from clinic_app.services.store_init import NewAccount
    except ImportError:  # a tree from before the sign-in split (measured as "today")
        from clinic_app.services.auth import NewAccount  # type: ignore[attr-defined,no-redef]

    services = Services(Settings(store_dir=root / "store"), clock=ManualClock(NOW))
    services.auth.init_store(NewAccount("admin", Role.ADMIN, "benchmark-admin-pw"),
                             [NewAccount("phys", Role.PHYSICIAN, PASSWORD)])
    session = services.auth.login("phys", PASSWORD)
    services.auth.change_password(session, PASSWORD, PASSWORD + "x")
    return services, services.auth.login("phys", PASSWORD + "x")


def _prepared_rows(data: Path) -> list[tuple]:
    """The observation rows exactly as the importer writes them (patient keys 1..N)."""
    from clinic_app.core.records.fhir import read_json
    from clinic_app.core.records.importer import observation_row

    parsed = read_json((data / "mixed.json").read_text(), "mixed.json", NOW)
    keys = {f"Patient/{p.resource_id.split('/', 1)[1]}": i + 1
            for i, p in enumerate(parsed.patients)}
    return [observation_row(keys[o.subject.reference], o, 1) for o in parsed.observations]


def _lookups() -> dict[str, float]:
    from clinic_app.core.terminology.lookup import RXNORM, _medication, _names_in
    from clinic_app.core.terminology.site import active_terminology

    t0 = time.perf_counter()
    term = active_terminology()
    load = time.perf_counter() - t0
    n = 20000
    codes = ["979492", "314077", "617310", "861007"] * (n // 4)
    _medication.cache_clear()
    t0 = time.perf_counter()
    for code in codes:
        term.medication(RXNORM, code)
    by_code = (time.perf_counter() - t0) / n
    names = [f"losartan potassium {i} MG Oral Tablet" for i in range(n)]  # all distinct
    _names_in.cache_clear()
    _medication.cache_clear()
    t0 = time.perf_counter()
    for i, name in enumerate(names):
        term.medication(RXNORM, f"x{i}", name)
    cold = (time.perf_counter() - t0) / n
    for i, name in enumerate(names[:4096]):
        term.medication(RXNORM, f"x{i}", name)
    t0 = time.perf_counter()
    for i, name in enumerate(names[:4096]):  # the same drugs again (exports repeat them)
        term.medication(RXNORM, f"x{i}", name)
    warm = (time.perf_counter() - t0) / 4096
    table = {code: ("x", ("antihypertensive",)) for code in codes[:4]}
    t0 = time.perf_counter()
    for code in codes:
        table.get(code)
    plain = (time.perf_counter() - t0) / n
    return {"seconds": 0.0, "observations": 0, "load_ms": load * 1000,
            "code_us": by_code * 1e6, "name_cold_us": cold * 1e6, "name_warm_us": warm * 1e6,
            "dict_us": plain * 1e6}


def _export_sqlite(data: Path, work: Path) -> dict[str, float]:
    from clinic_app.core.records.bulk import iter_lines
    from clinic_app.core.records.fhir import read_ndjson_batches
    from clinic_app.core.records.importer import observation_row
    from clinic_app.core.records.repository import _INSERT_OBSERVATION, MIGRATIONS

    keys: dict[str, int] = {}
    for batch in read_ndjson_batches(iter_lines(data / "export" / "Patient.ndjson"),
                                     "Patient.ndjson", NOW):
        for p in batch.patients:
            keys.setdefault(p.resource_id, len(keys) + 1)
    rows = []
    for batch in read_ndjson_batches(iter_lines(data / "export" / "Observation.ndjson.gz"),
                                     "Observation.ndjson.gz", NOW):
        rows.extend(observation_row(keys[o.subject.reference], o, 1) for o in batch.observations)
    conn = sqlite3.connect(work / "plain.db", isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.executescript(";\n".join(MIGRATIONS))
    conn.execute("INSERT INTO records_imports(source_file, sha256, format, imported_at)"
                 " VALUES ('b', '', 'x', '')")
    conn.executemany("INSERT INTO records_patients(id, mrn, sex, import_id, resource_id)"
                     " VALUES (?, ?, 'unknown', 1, '')", [(i, f"M{i}") for i in keys.values()])
    t0 = time.perf_counter()
    conn.execute("BEGIN")
    conn.executemany(_INSERT_OBSERVATION, rows)
    conn.execute("COMMIT")
    return {"seconds": time.perf_counter() - t0, "observations": len(rows)}


def write_mixed(bundle: Path, out: Path) -> int:
    """``bundle`` with 40 % of its observations recoded to uninterpreted LOINC codes."""
    doc = json.loads(bundle.read_text())
    n = 0
    for entry in doc["entry"]:
        res = entry["resource"]
        if res.get("resourceType") != "Observation" or "valueQuantity" not in res:
            continue
        n += 1
        if n % 5 in (1, 3):
            code, value, unit = OTHER_CODES[n % len(OTHER_CODES)]
            res["code"] = {"coding": [{"system": "http://loinc.org", "code": code}]}
            res["valueQuantity"] = {"value": value, "unit": unit,
                                    "system": "http://unitsofmeasure.org", "code": unit}
    out.write_text(json.dumps(doc))
    return n


def run_case(case: str, data: Path, work: Path) -> dict[str, float]:
    from clinic_app.core.records.repository import _INSERT_OBSERVATION, MIGRATIONS

    if case == "lookups":
        return _lookups()
    if case == "export-sqlite":
        return _export_sqlite(data, work)
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
            conn.executescript(";\n".join(MIGRATIONS))
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
             "service-mixed": [data / "mixed.json"], "export": [data / "export"],
             "service-ndjson": sorted((data / "ndjson").glob("*.ndjson")),
             "service-csv": [data / "csv" / "patients.csv", data / "csv" / "observations.csv"]}
    # The service is built (its modules loaded) before the clock starts, as in a running
    # app, where the patient list has built it at sign-in: throughput, not start-up.
    records = services.records
    t0 = time.perf_counter()
    report = records.import_files(session, files[case])
    elapsed = time.perf_counter() - t0
    if not report.ok:
        raise SystemExit(f"{case}: import failed: {report.as_json()['errors'][:3]}")
    if case == "export":
        return {"seconds": elapsed, "observations": report.total("observations"),
                "stored": report.total("observations"), "ok": 1}
    read = report.total("observations") + sum(
        s["count"] for f in report.files for s in f.skipped
        if s["kind"] == "Observation" and s["reason"].startswith("code not used"))
    return {"seconds": elapsed, "observations": read, "stored": report.total("observations")}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--patients", type=int, default=1000)
    ap.add_argument("--per-patient", type=int, default=50)
    ap.add_argument("--before", default="", help="git revision measured as 'today' "
                    "(default: the merge base with main)")
    ap.add_argument("--all", action="store_true", help="also the CSV, memory-security and "
                    "naive cases")
    ap.add_argument("--export-only", action="store_true",
                    help="only the Bulk Data export case (prints one JSON line)")
    ap.add_argument("--export-compare", action="store_true",
                    help="only the Bulk Data export case, on the 'today' and new trees")
    ap.add_argument("--repeat", type=int, default=3,
                    help="rounds over every case (trees alternate within a round); the "
                    "best time is reported, with the median beside it")
    ap.add_argument("--case", help=argparse.SUPPRESS)
    ap.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.case:
        with tempfile.TemporaryDirectory() as work:
            result = run_case(args.case, args.data, Path(work))
        result["max_rss_mib"] = _rss_mib()
        print(json.dumps(result))
        return 0

    from clinic_app.synthetic.bulk_export import write_export
    from clinic_app.synthetic.cohort import generate_cohort

    if args.export_only:
        with tempfile.TemporaryDirectory() as tmp:
            data = Path(tmp)
            write_export(data / "export", args.patients, args.per_patient, as_of=NOW)
            out = subprocess.run([sys.executable, __file__, "--case", "export", "--data",
                                  str(data)], capture_output=True, text=True, check=True)
        print(out.stdout.strip().splitlines()[-1])
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp)
        write_export(data / "export", args.patients, 80, as_of=NOW)
        if not args.export_compare:
            cohort = generate_cohort(args.patients, seed=0,
                                     as_of=datetime(2025, 12, 31, tzinfo=UTC),
                                     observations_per_patient=args.per_patient)
            cohort.write_bundle(data / "bundle.json")
            cohort.write_ndjson(data / "ndjson")
            cohort.write_csv(data / "csv")
            write_mixed(data / "bundle.json", data / "mixed.json")
            size = (data / "bundle.json").stat().st_size / 2**20
            print(f"{args.patients} patients x {args.per_patient} observations; "
                  f"bundle {size:.1f} MiB")
        print(f"machine load (1 min) at start: {os.getloadavg()[0]:.2f}\n")
        repo = Path(__file__).resolve().parents[1]
        before = args.before or subprocess.run(
            ["git", "-C", str(repo), "merge-base", "HEAD", "main"], capture_output=True,
            text=True, check=True).stdout.strip()
        today = data / "today"
        today.mkdir()
        archive = subprocess.run(["git", "-C", str(repo), "archive", before, "clinic_app",
                                  "resources"],
                                 capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(today)], input=archive, check=True)
        cases = [("service-bundle", "today"), ("service-bundle", "new"),
                 ("service-mixed", "today"), ("service-mixed", "new"),
                 ("service-ndjson", "today"), ("service-ndjson", "new"),
                 ("baseline-sqlite", "new")]
        cases += [("export", "today"), ("export", "new"), ("export-sqlite", "new"),
                  ("lookups", "new")]
        if args.export_compare:
            cases = [("export", "today"), ("export", "new"), ("export-sqlite", "new"),
                     ("lookups", "new")]
        if args.all:
            cases += [("parse-only", "new"), ("service-csv", "new"), ("memsec-off", "new"),
                      ("baseline-naive", "new")]
        runs: dict[tuple[str, str], list[dict]] = {}
        for _round in range(max(1, args.repeat)):
            for case, tree in cases:
                env = {**os.environ, "CLINIC_TREE": str(today) if tree == "today" else str(repo)}
                out = subprocess.run([sys.executable, __file__, "--case", case, "--data",
                                      str(data)], capture_output=True, text=True, env=env)
                if out.returncode:
                    sys.exit(f"case {case} on the {tree} tree failed:\n{out.stderr[-3000:]}")
                runs.setdefault((case, tree), []).append(
                    json.loads(out.stdout.strip().splitlines()[-1]))
        # The best of the rounds: on a shared machine the load only ever adds time.
        results = {key: {**min(rs, key=lambda r: r["seconds"]),
                         "median": sorted(r["seconds"] for r in rs)[len(rs) // 2]}
                   for key, rs in runs.items()}
    ours = results.get(("service-mixed", "new"))
    print(f"'today' = {before[:12]}; obs = observations read; stored = kept in the store; "
          f"seconds = best of {max(1, args.repeat)} round(s) (median beside it)")
    print(f"{'case':16} {'tree':6} {'obs':>7} {'stored':>7} {'seconds':>8} {'obs/s':>8} "
          f"{'median':>7} {'peak MiB':>9} {'new/today time':>15}")
    lookups = results.pop(("lookups", "new"))
    for (case, tree), r in results.items():
        obs_s = r["observations"] / r["seconds"]
        other = results.get((case, "today"))
        ratio = f"{r['seconds'] / other['seconds']:.2f}x" if tree == "new" and other else ""
        note = " (extrapolated from 2,000 rows)" if r.get("extrapolated") else ""
        print(f"{case:16} {tree:6} {r['observations']:>7} {r.get('stored', r['observations']):>7}"
              f" {r['seconds']:>8.2f} {obs_s:>8.0f} {r['median']:>7.2f} {r['max_rss_mib']:>9.0f}"
              f" {ratio:>15}{note}")
    export = results[("export", "new")]
    print(f"\nBulk export ({args.patients:,} patients, {export['observations']:,} observations stored): "
          f"{export['seconds']:.1f} s (goal <= 30 s), peak {export['max_rss_mib']:.0f} MiB "
          f"(goal < 400); plain sqlite3 insert of the same rows "
          f"{results[('export-sqlite', 'new')]['seconds']:.2f} s")
    print(f"terminology: load {lookups['load_ms']:.1f} ms; per medication: SCD code "
          f"{lookups['code_us']:.2f} us, normalised name {lookups['name_cold_us']:.1f} us cold /"
          f" {lookups['name_warm_us']:.2f} us cached; plain dict {lookups['dict_us']:.3f} us")
    if ours:
        rate = ours["observations"] / ours["seconds"]
        print(f"\ntarget >= 20,000 observations/s into the encrypted store (service-mixed, "
              f"new): {rate:,.0f}/s -> {'MET' if rate >= 20_000 else 'NOT MET'} at this "
              "machine load")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
