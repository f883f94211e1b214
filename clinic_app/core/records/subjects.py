"""Which patient an item is about: its subject resolved against the file and the store.

A reference or MRN that matches no patient, or more than one, is an error message for
the item, never a guess (an MRN under several issuers needs the issuer).
"""

from __future__ import annotations

from datetime import date

from clinic_app.core.records.batch import SubjectRef
from clinic_app.core.records.repository import RecordRepository


class SubjectResolver:
    """Subject → patient key, for this file's patients and the stored ones."""

    def __init__(self, repo: RecordRepository) -> None:
        self.repo = repo
        self.local_refs: dict[str, int] = {}
        self.local_ids: dict[tuple[str, str], int] = {}
        self.births: dict[int, date | None] = {}
        self.new_refs: list[tuple[int, tuple[str, ...]]] = []
        self._cache: dict[SubjectRef, int | str] = {}

    def resolve(self, subject: SubjectRef) -> int | str:
        """The patient key, or the reason it cannot be found (an error message)."""
        hit = self._cache.get(subject)
        if hit is None:
            hit = self._resolve(subject)
            if isinstance(hit, int):  # a failure may resolve later (a later batch's patient)
                self._cache[subject] = hit
        return hit

    def _resolve(self, subject: SubjectRef) -> int | str:
        if subject.reference:
            if subject.reference in self.local_refs:
                return self.local_refs[subject.reference]
            keys = self.repo.patient_keys_by_ref(subject.reference)
            if len(keys) == 1:
                return keys[0]
            if len(keys) > 1:
                return (f"subject {subject.describe()} matches more than one stored patient; "
                        "refer to the patient by identifier instead")
            if not subject.mrn:
                return (f"subject {subject.describe()} is not in this file or the store; "
                        "import the Patient first")
        if subject.mrn:
            if subject.issuer is not None:
                key = self.local_ids.get((subject.mrn, subject.issuer))
                if key is not None:
                    return key
                row = self.repo.patient_row(subject.mrn, subject.issuer)
                if row is not None:
                    return int(row["id"])
                return ("no patient with this MRN and issuer in this file or the store; "
                        "import the patient first")
            found = {k for (mrn, _), k in self.local_ids.items() if mrn == subject.mrn}
            found.update(int(r["id"]) for r in self.repo.patient_rows_by_mrn(subject.mrn))
            if len(found) == 1:
                return found.pop()
            if len(found) > 1:
                return "this MRN exists under more than one issuer; add an issuer column"
            return "no patient with this MRN in this file or the store; import the patient first"
        return "the item names no subject (patient)"
