"""What an import tells its caller: one report per file, and the whole import's.

Reports name items by their place in the file, never by patient data, and carry counts
that stay exact when the lists of errors and flags are cut to :data:`REPORT_LIMIT`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from clinic_app.core.records.batch import ParsedFile, Problem
from clinic_app.core.records.importer import StoreOutcome

#: At most this many errors and flags are listed per file (the counts are always exact).
REPORT_LIMIT = 200


@dataclass(frozen=True)
class FileReport:
    file: str
    format: str
    imported: bool
    counts: dict[str, int]
    skipped: tuple[dict[str, Any], ...]
    flagged: tuple[Problem, ...]
    errors: tuple[Problem, ...]
    error_count: int
    flag_count: int
    note: str = ""


@dataclass(frozen=True)
class ImportReport:
    files: tuple[FileReport, ...]
    cancelled: bool = False
    notes: tuple[str, ...] = ()  # about the export as a whole (its manifest's error files)
    resource_types: tuple[str, ...] = ()  # per file, as a Bulk Data manifest names them

    def by_type(self) -> dict[str, dict[str, int]]:
        """Per resource type: files, files refused, items kept, flagged and refused."""
        out: dict[str, dict[str, int]] = {}
        for index, f in enumerate(self.files):
            rtype = (self.resource_types[index] if index < len(self.resource_types) else "") \
                or f.file.split(".", 1)[0]
            row = out.setdefault(rtype, {"files": 0, "refused_files": 0, "kept": 0,
                                         "flagged": 0, "invalid": 0})
            row["files"] += 1
            row["refused_files"] += not f.imported
            row["kept"] += sum(f.counts.get(k, 0) for k in (
                "patients", "observations", "conditions", "medications", "allergies",
                "encounters", "reports", "other_resources")) if f.imported else 0
            row["flagged"] += f.flag_count
            row["invalid"] += f.error_count
        return out

    def total(self, key: str) -> int:
        return sum(f.counts.get(key, 0) for f in self.files if f.imported)

    @property
    def ok(self) -> bool:
        return not self.cancelled and all(f.imported for f in self.files)

    def as_json(self) -> dict[str, Any]:
        """The shape ``import records --json`` prints."""
        return {
            "patients": self.total("patients"),
            "observations": self.total("observations"),
            "conditions": self.total("conditions"),
            "medications": self.total("medications"),
            "skipped": [{"file": f.file, **s} for f in self.files for s in f.skipped],
            "flagged": [{"file": f.file, "item": p.item, "reason": p.reason}
                        for f in self.files for p in f.flagged],
            "errors": [{"file": f.file, "item": p.item, "reason": p.reason}
                       for f in self.files for p in f.errors],
            "files": [{"file": f.file, "format": f.format, "imported": f.imported,
                       "errors": f.error_count, "flagged": f.flag_count, "note": f.note,
                       **f.counts} for f in self.files],
            "cancelled": self.cancelled,
            "by_type": self.by_type(),
            "notes": list(self.notes),
        }


def file_report(parse: ParsedFile, outcome: StoreOutcome | None, *, imported: bool,
            note: str = "") -> FileReport:
    errors = outcome.errors if outcome is not None else parse.errors
    flags = outcome.flags if outcome is not None else parse.flags
    skipped = outcome.skipped if outcome is not None else parse.skipped
    if outcome is not None and imported:
        counts = outcome.counts()
    else:
        counts = {"patients": 0, "observations": 0, "conditions": 0, "medications": 0}
    return FileReport(
        file=parse.source_file, format=parse.format, imported=imported, counts=counts,
        skipped=tuple({"kind": kind, "reason": reason, "count": n}
                      for (kind, reason), n in sorted(skipped.items())),
        flagged=tuple(flags[:REPORT_LIMIT]), errors=tuple(errors[:REPORT_LIMIT]),
        error_count=outcome.error_total if outcome is not None else len(errors),
        flag_count=outcome.flag_total if outcome is not None else len(flags), note=note)
