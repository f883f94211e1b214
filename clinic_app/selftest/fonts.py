"""Self-test item: Chinese can be drawn, on screen (Qt's font database) and in the PDF.

Without a CJK font the Chinese interface shows empty boxes and the Chinese report cannot
be written at all, and neither shows before a Chinese-speaking user tries; so the
self-test names the missing font and the package that provides it.
"""

from __future__ import annotations

from concurrent.futures import Future
from typing import Any

from clinic_app.core.reports.fonts import CJK_PACKAGE, cjk_font
from clinic_app.selftest import CheckResult, CheckStatus


def cjk_item(qt_job: Future[tuple[Any, float]] | None) -> CheckResult:
    """PASS when the report has a CJK font to embed and Qt knows a Simplified Chinese one."""
    pdf = cjk_font()
    gui: int | None = None
    seconds = 0.0
    if qt_job is not None:
        result, seconds = qt_job.result()
        if result.ok:
            gui = int(result.data.get("cjk_fonts", 0))
    problems = []
    if pdf is None:
        problems.append("no CJK font for the PDF report")
    if gui == 0:
        problems.append("Qt finds no Simplified Chinese font")
    if problems:
        return CheckResult("CJK font", CheckStatus.FAIL, "; ".join(problems) + f": install {CJK_PACKAGE}",
                           seconds)
    where = f"PDF: {pdf.path.name}" if pdf else ""
    screen = f"; GUI: {gui} Simplified Chinese families" if gui else "; GUI: not checked (Qt did not start)"
    return CheckResult("CJK font", CheckStatus.PASS, where + screen, seconds)
