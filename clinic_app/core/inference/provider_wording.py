"""The execution-provider check's details in the reader's language, when shown.

The check (provider_check.py, run in a child process) and the System information
service write them in English: the self-test's JSON and support read them the same
whatever the site's language. The admin System tab shows them through these templates.
"""

from __future__ import annotations

from clinic_app.i18n import QT_TRANSLATE_NOOP, translate
from clinic_app.i18n.template_match import TemplateWording

TEMPLATES = (
    QT_TRANSLATE_NOOP("provider_check", "session created and ran"),
    QT_TRANSLATE_NOOP("provider_check", "ran, but returned a wrong result"),
    QT_TRANSLATE_NOOP("provider_check", "listed, but the session ran on {provider}"),
    QT_TRANSLATE_NOOP("provider_check", "listed, but {why}"),
    QT_TRANSLATE_NOOP("provider_check", "not in the CPU-only build"),
    QT_TRANSLATE_NOOP("provider_check", "its library {library} is not installed beside onnxruntime"),
    QT_TRANSLATE_NOOP("provider_check", "session failed ({kind})"),
    QT_TRANSLATE_NOOP("provider_check", "cannot be imported ({kind})"),
    QT_TRANSLATE_NOOP("provider_check", "the provider check failed in its separate process ({why}); the app "
                                        "itself is unaffected. Run 'clinic-app --self-test' for details."),
    QT_TRANSLATE_NOOP("provider_check", "it gave no usable answer"),
    QT_TRANSLATE_NOOP("provider_check", "GPU preference is 'cpu': models run on the CPU even where a GPU "
                                        "works."),
)

_WORDING = TemplateWording(lambda text: translate("provider_check", text), TEMPLATES, frozenset({"why"}))


def shown_provider_detail(text: str) -> str:
    """A provider check's detail or a System report note in the reader's language."""
    return _WORDING.shown(text)
