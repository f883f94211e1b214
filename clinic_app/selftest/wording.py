"""The self-test's item details in the reader's language, when shown.

The self-test writes its details in English: the JSON report (``--self-test --json``)
and the log keep them, and support reads them whatever language the site uses. The CLI
shows them translated through these templates; a detail that matches none (a
third-party message, a newer check) is shown as written.
"""

from __future__ import annotations

from clinic_app.i18n import QT_TRANSLATE_NOOP, translate
from clinic_app.i18n.template_match import TemplateWording
from clinic_app.selftest.codec_wording import shown_codec_line

TEMPLATES = (
    QT_TRANSLATE_NOOP("selftest_detail", "settings given by the caller"),
    QT_TRANSLATE_NOOP("selftest_detail", "cannot write the log in {folder}; fix its permissions or set log_dir"),
    QT_TRANSLATE_NOOP("selftest_detail", "{path} (rotates at 5 MiB, 5 kept)"),
    QT_TRANSLATE_NOOP("selftest_detail", "{root} writable, store present, {free} GiB free, {files} blob files "
                                         "({mb} MB), {stale} leftovers of interrupted writes ({stale_mb} MB: run "
                                         "'clinic-app store gc'; a clinician's run also finds blobs no record "
                                         "refers to)"),
    QT_TRANSLATE_NOOP("selftest_detail", "{root} writable, store present, {free} GiB free, {files} blob files "
                                         "({mb} MB)"),
    QT_TRANSLATE_NOOP("selftest_detail", "{root} writable, store present, {free} GiB free"),
    QT_TRANSLATE_NOOP("selftest_detail", "{root} writable, no store yet (clinic-app init), {free} GiB free"),
    QT_TRANSLATE_NOOP("selftest_detail", "log folder {folder}: {target} is not a folder"),
    QT_TRANSLATE_NOOP("selftest_detail", "store folder {folder}: {target} is not a folder"),
    QT_TRANSLATE_NOOP("selftest_detail", "log folder {folder} is not writable ({why}); fix the permissions or "
                                         "change the setting"),
    QT_TRANSLATE_NOOP("selftest_detail", "store folder {folder} is not writable ({why}); fix the permissions "
                                         "or change the setting"),
    QT_TRANSLATE_NOOP("selftest_detail", "{folder} writable (will be created under {target})"),
    QT_TRANSLATE_NOOP("selftest_detail", "{folder} writable"),
    QT_TRANSLATE_NOOP("selftest_detail", "built-in samples missing or unreadable ({kind}); reinstall"),
    QT_TRANSLATE_NOOP("selftest_detail", "model registry not available ({name})"),
    # model_checks.py (trust: core/inference/package.py TrustDecision.description)
    QT_TRANSLATE_NOOP("selftest_detail", "files match their hashes, {trust}, from the {origin} models folder; "
                                         "{passed}/{total} test vectors pass: {failures}"),
    QT_TRANSLATE_NOOP("selftest_detail", "files match their hashes, {trust}, from the {origin} models folder; "
                                         "{passed}/{total} test vectors pass"),
    QT_TRANSLATE_NOOP("selftest_detail", "files match their hashes, {trust}; {passed}/{total} test vectors "
                                         "pass: {failures}"),
    QT_TRANSLATE_NOOP("selftest_detail", "files match their hashes, {trust}; {passed}/{total} test vectors pass"),
    QT_TRANSLATE_NOOP("selftest_detail", "files match their hashes, {trust}, from the {origin} models folder; "
                                         "test vectors not run: no test-vector runner for task {task}"),
    QT_TRANSLATE_NOOP("selftest_detail", "files match their hashes, {trust}; test vectors not run: no "
                                         "test-vector runner for task {task}"),
    QT_TRANSLATE_NOOP("selftest_detail", "shipped with the app (hash-pinned)"),
    QT_TRANSLATE_NOOP("selftest_detail", "signed by trusted key {signer}"),
    QT_TRANSLATE_NOOP("selftest_detail", "unsigned, approved by an admin"),
    QT_TRANSLATE_NOOP("selftest_detail", "unsigned, allowed by site policy"),
    QT_TRANSLATE_NOOP("selftest_detail", "unsigned site package: usable only if an admin approved it in the app "
                                         "(approvals are not readable without a login)"),
    QT_TRANSLATE_NOOP("selftest_detail", "refused ({origin}, {reason}): {message}"),
    QT_TRANSLATE_NOOP("selftest_detail", "no model packages found in {where}; the installation is incomplete"),
    QT_TRANSLATE_NOOP("selftest_detail", "Qt {qt} (PySide6 {pyside}) started on platform '{platform}', drew a "
                                         "widget, SVG icon drawn, {n} workspaces load ({spaces})"),
    QT_TRANSLATE_NOOP("selftest_detail", "Qt {qt} (PySide6 {pyside}) started on platform '{platform}', drew a "
                                         "widget, SVG failed, {n} workspaces load ({spaces})"),
    QT_TRANSLATE_NOOP("selftest_detail", "Qt {qt} (PySide6 {pyside}) started on platform '{platform}', drew a "
                                         "widget, {n} workspaces load ({spaces})"),
    QT_TRANSLATE_NOOP("selftest_detail", "Qt {qt} (PySide6 {pyside}) started on platform '{platform}', drew a "
                                         "widget, SVG icon drawn"),
    QT_TRANSLATE_NOOP("selftest_detail", "Qt {qt} (PySide6 {pyside}) started on platform '{platform}', drew a "
                                         "widget, SVG failed"),
    QT_TRANSLATE_NOOP("selftest_detail", "Qt {qt} (PySide6 {pyside}) started on platform '{platform}', drew a "
                                         "widget"),
    QT_TRANSLATE_NOOP("selftest_detail", "Qt did not start: {error} (missing X11 libraries: install "
                                         "libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1)"),
    QT_TRANSLATE_NOOP("selftest_detail", "Qt did not start: {error}"),
    QT_TRANSLATE_NOOP("selftest_detail", "no session: {error}"),
    QT_TRANSLATE_NOOP("selftest_detail", "onnxruntime {version}: requested {requested}; running on {actual}: an "
                                         "NVIDIA GPU is present but {provider} could not be used; missing "
                                         "{missing}. Install the CUDA and cuDNN runtime onnxruntime needs (see "
                                         "packaging/README.md), or set gpu_preference = \"cpu\" to accept the CPU"),
    QT_TRANSLATE_NOOP("selftest_detail", "onnxruntime {version}: requested {requested}; running on {actual}: an "
                                         "NVIDIA GPU is present but {provider} could not be used. Install the "
                                         "CUDA and cuDNN runtime onnxruntime needs (see packaging/README.md), or "
                                         "set gpu_preference = \"cpu\" to accept the CPU"),
    QT_TRANSLATE_NOOP("selftest_detail", "onnxruntime {version}: requested {requested}; running on {actual} "
                                         "(CPU-only bundle)"),
    QT_TRANSLATE_NOOP("selftest_detail", "onnxruntime {version}: requested {requested}; running on {actual} "
                                         "(gpu_preference = cpu)"),
    QT_TRANSLATE_NOOP("selftest_detail", "onnxruntime {version}: requested {requested}; running on {actual} "
                                         "(no NVIDIA GPU found; missing {missing})"),
    QT_TRANSLATE_NOOP("selftest_detail", "onnxruntime {version}: requested {requested}; running on {actual} "
                                         "(no NVIDIA GPU found)"),
    QT_TRANSLATE_NOOP("selftest_detail", "onnxruntime {version}: requested {requested}; running on {actual}"),
    QT_TRANSLATE_NOOP("selftest_detail", "PDF: {font}; GUI: {n} Simplified Chinese families"),
    QT_TRANSLATE_NOOP("selftest_detail", "PDF: {font}; GUI: not checked (Qt did not start)"),
    QT_TRANSLATE_NOOP("selftest_detail", "no CJK font for the PDF report; Qt finds no Simplified Chinese font: "
                                         "install {package}"),
    QT_TRANSLATE_NOOP("selftest_detail", "no CJK font for the PDF report: install {package}"),
    QT_TRANSLATE_NOOP("selftest_detail", "Qt finds no Simplified Chinese font: install {package}"),
    # crypto_roundtrip.py: the summary, then each failure it can raise
    QT_TRANSLATE_NOOP("selftest_detail", "Argon2id m={memory} MiB t={iterations} {seconds} s, AES-256-GCM wrap, "
                                         "X25519 seal, SQLCipher {sqlcipher}, AES-GCM blob"),
    QT_TRANSLATE_NOOP("selftest_detail", "{version} community"),
    QT_TRANSLATE_NOOP("selftest_detail", "Argon2id is not deterministic"),
    QT_TRANSLATE_NOOP("selftest_detail", "Argon2id ignores its input"),
    QT_TRANSLATE_NOOP("selftest_detail", "AES-GCM unwrap returned other bytes"),
    QT_TRANSLATE_NOOP("selftest_detail", "AES-GCM accepted the wrong AD"),
    QT_TRANSLATE_NOOP("selftest_detail", "AES-GCM accepted a flipped bit"),
    QT_TRANSLATE_NOOP("selftest_detail", "X25519 seal did not open"),
    QT_TRANSLATE_NOOP("selftest_detail", "a sealed key opened with the wrong private key"),
    QT_TRANSLATE_NOOP("selftest_detail", "the database file holds plaintext"),
    QT_TRANSLATE_NOOP("selftest_detail", "SQLCipher did not read back its row"),
    QT_TRANSLATE_NOOP("selftest_detail", "SQLCipher's page HMAC check reported errors"),
    QT_TRANSLATE_NOOP("selftest_detail", "SQLCipher opened the database with the wrong key"),
    QT_TRANSLATE_NOOP("selftest_detail", "a blob did not read back"),
    QT_TRANSLATE_NOOP("selftest_detail", "a blob opened under another kind"),
    QT_TRANSLATE_NOOP("selftest_detail", "a tampered blob was accepted"),
    # __init__.py _check_terminology (``why`` is worded by core/terminology/site.py)
    QT_TRANSLATE_NOOP("selftest_detail", "{package} (shipped copy): {why}"),
    QT_TRANSLATE_NOOP("selftest_detail", "{package} (site copy): {why}"),
)



def _workspace_titles(spaces: str) -> str:
    """The Qt probe's workspace titles (English, from a child process) as the shell shows
    them; a title this table does not know is kept as written."""
    shown = {"Radiology": translate("radiology.workspace", "Radiology"),
             "Patients and risk": translate("physician.workspace", "Patients and risk"),
             "Administration": translate("admin.workspace", "Administration")}
    return ", ".join(shown.get(title, title) for title in spaces.split(", "))


#: ``trust`` is itself one of the templates (how the package is trusted); ``sqlcipher`` is
#: SQLCipher's version with its edition ("4.19.0 community").
_WORDING = TemplateWording(lambda text: translate("selftest_detail", text), TEMPLATES,
                           frozenset({"trust", "sqlcipher"}), {"spaces": _workspace_titles})


def shown_detail(detail: str) -> str:
    """A self-test item's detail in the reader's language (the report keeps the English)."""
    shown = _WORDING.shown(detail)
    if shown is detail:
        return shown_codec_line(detail) or detail
    return shown
