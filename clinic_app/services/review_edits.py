"""The radiologist corrects the AI: modify a finding's box, add a finding it missed.

Both are signed acts like accept/reject (``findings.review``, radiologists): stored as new
rows (never edits), audited once each, and exported with the results (SR TID 1500 review
items). A box is given in pixel indices (inclusive) on one slice of one stack, and is
anchored to that slice's source image, so it survives later imports renumbering stacks.
"""

from __future__ import annotations

from collections.abc import Sequence

from clinic_app.core.clock import iso
from clinic_app.core.imaging import geometry, index
from clinic_app.core.inference import finding_store as store
from clinic_app.core.inference import review_edits as edits
from clinic_app.core.security.audit import EventCode
from clinic_app.core.security.roles import Permission
from clinic_app.core.store.database import Database
from clinic_app.errors import InvalidInput
from clinic_app.i18n import translate
from clinic_app.services.analysis import MAX_COMMENT, AnalysisService
from clinic_app.services.context import ServiceContext
from clinic_app.services.finding_types import Finding, publish
from clinic_app.services.session import Session

MAX_LABEL = 64


def _text(value: str, what: str, limit: int) -> str:
    value = value.strip()
    if len(value) > limit:
        raise InvalidInput(translate("services", "The {what} is longer than {limit} characters.").format(
                               what=what, limit=limit))
    if any(ord(ch) < 32 and ch not in "\n\t" for ch in value):
        raise InvalidInput(translate("services", "The {what} contains control characters; type it again.").format(
                               what=what))
    return value


def placement(db: Database, series_uid: str, stack: int, slice_index: int,
              cols: Sequence[int], rows: Sequence[int]) -> edits.Placement:
    """Check a drawn box against the stack as indexed now and anchor it to its image."""
    owner = index.series_context(db, series_uid)
    if owner is None:
        raise InvalidInput(translate("services", "No series with this UID in the store."))
    plans = geometry.plan_series(index.series_instances(db, series_uid), owner["modality"])
    if not 0 <= stack < len(plans):
        raise InvalidInput(translate("services", "This series has {len} stack(s); stack {stack} does not "
                                                 "exist.").format(len=len(plans), stack=stack))
    plan = plans[stack]
    if not 0 <= slice_index < len(plan.frames):
        raise InvalidInput(translate("services", "This stack has {len} slices; slice {slice_index} does not "
                                                 "exist.").format(len=len(plan.frames), slice_index=slice_index))
    if len(cols) != 2 or len(rows) != 2:
        raise InvalidInput(translate("services", "A box is two columns and two rows (first and last pixel)."))
    c0, c1 = sorted(int(v) for v in cols)
    r0, r1 = sorted(int(v) for v in rows)
    if c0 < 0 or r0 < 0 or c1 >= plan.cols or r1 >= plan.rows:
        raise InvalidInput(translate("services", "The box ({c0}-{c1} across, {r0}-{r1} down) leaves the "
                                                 "image, which is {cols} pixels across and {rows} down.").format(
                               c0=c0, c1=c1, r0=r0, r1=r1, cols=plan.cols, rows=plan.rows))
    ref = plan.frames[slice_index]
    return edits.Placement(series_uid, stack, slice_index, ref.instance.sop_instance_uid,
                           ref.frame + 1, (c0, c1), (r0, r1))


class ReviewEditService:
    def __init__(self, ctx: ServiceContext, analysis: AnalysisService) -> None:
        self.ctx = ctx
        self.analysis = analysis

    def modify(self, session: Session, finding_id: int, cols: Sequence[int],
               rows: Sequence[int], *, slice_index: int | None = None,
               comment: str = "") -> Finding:
        """Record the radiologist's box for an AI finding (decision ``modified``)."""
        self.ctx.begin(session, Permission.FINDINGS_REVIEW)
        comment = _text(comment, "comment", MAX_COMMENT)
        db = self.analysis._db(session)
        with db.transaction():
            found = store.finding(db, int(finding_id))
            if found is None:
                raise InvalidInput(translate("services", "No finding with id {finding_id}.").format(
                                       finding_id=finding_id))
            here = self.analysis._placed(db, [found])[0]
            where = placement(db, here.series_uid, here.stack_index,
                              here.slice_index if slice_index is None else slice_index,
                              cols, rows)
            store.add_review(db, found.id, store.Review(
                "modified", comment, session.username, session.role.value,
                iso(self.ctx.clock()), found.model_id, found.model_version,
                where.as_geometry()))
        updated = self.analysis._placed(db, [store.finding(db, found.id)])[0]  # type: ignore[list-item]
        self.ctx.audit(session, EventCode.PATIENT_RECORD, "findings.review",
                       patient_id=self.analysis._patient_of(session, found.study_uid),
                       study_uid=found.study_uid, object=str(found.id),
                       detail={"decision": "modified", "model": found.model_id,
                               "version": found.model_version, "flagged": found.flagged,
                               "commented": bool(comment)})
        return publish(updated)

    def add_finding(self, session: Session, study_uid: str, series_uid: str, label: str,
                    slice_index: int, cols: Sequence[int], rows: Sequence[int], *,
                    stack: int = 0, comment: str = "") -> edits.AddedFinding:
        """Record a finding the models missed, drawn by the radiologist."""
        self.ctx.begin(session, Permission.FINDINGS_REVIEW)
        label = _text(label, "finding name", MAX_LABEL)
        if not label:
            raise InvalidInput(translate("services", "Name the finding (for example 'pulmonary nodule')."))
        comment = _text(comment, "comment", MAX_COMMENT)
        db = self.analysis._db(session)
        owner = index.series_context(db, series_uid)
        if owner is None or owner["study_uid"] != study_uid:
            raise InvalidInput(translate("services", "This series is not part of this study."))
        with db.transaction():
            where = placement(db, series_uid, stack, slice_index, cols, rows)
            new_id = edits.add_finding(db, study_uid, label, where, comment, session.username,
                                       session.role.value, iso(self.ctx.clock()))
        added = edits.added_finding(db, new_id)
        assert added is not None
        self.ctx.audit(session, EventCode.PATIENT_RECORD, "findings.add",
                       patient_id=owner["patient_id"], study_uid=study_uid, object=str(new_id),
                       detail={"commented": bool(comment)})
        return added

    def added_findings(self, session: Session, study_uid: str) -> list[edits.AddedFinding]:
        """The findings radiologists added to a study, oldest first."""
        self.ctx.begin(session, Permission.FINDINGS_VIEW)
        found = edits.added_findings(self.analysis._db(session), study_uid)
        self.ctx.audit(session, EventCode.PATIENT_RECORD, "findings.added.view",
                       patient_id=self.analysis._patient_of(session, study_uid),
                       study_uid=study_uid, detail={"findings": len(found)})
        return found
