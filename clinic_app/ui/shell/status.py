"""What the status bar says: who is signed in, what runs inference, the store's state.

The provider shown is the one a model session actually got (onnxruntime-gpu may list
CUDA and run on the CPU), read from the model service; until a model is loaded there is
nothing to report but the CPU fallback.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication

from clinic_app.i18n import QT_TRANSLATE_NOOP, translate_any
from clinic_app.services import Services, Session
from clinic_app.ui.formatting import role_title

NO_MODELS = QT_TRANSLATE_NOOP("shell.status", "CPU (no models loaded)")


def user_text(session: Session) -> str:
    return f"{session.username} · {role_title(session.role.value)}"


def store_text(session: Session) -> str:
    if session.locked:
        return QCoreApplication.translate("shell.status", "Store: locked")
    if session.has_clinical_key:
        return QCoreApplication.translate("shell.status", "Store: encrypted · patient data open")
    if session.role.is_clinician:
        return QCoreApplication.translate("shell.status", "Store: encrypted · access to patient data pending")
    return QCoreApplication.translate("shell.status", "Store: encrypted · system data only")


_PROVIDERS = {"CUDA": "CUDA", "Tensorrt": "TensorRT", "Dml": "DirectML", "CoreML": "CoreML",
              "CPU": "CPU"}


def provider_name(provider: str) -> str:
    """'CUDAExecutionProvider' -> 'CUDA' (as people write it)."""
    name = provider.removesuffix("ExecutionProvider")
    return _PROVIDERS.get(name, name)


def _provider_label(provider: str) -> str:
    name = provider_name(provider)
    if name == "CPU":
        return name
    return QCoreApplication.translate("shell.status", "GPU ({name})").format(name=name)


def inference_text(services: Services) -> str:
    """"Inference: GPU (CUDA)" etc. from the providers the loaded models really run on."""
    providers = sorted({p for _, p in _model_providers(services)})
    if not providers:
        return QCoreApplication.translate("shell.status", "Inference: {providers}").format(
            providers=translate_any(NO_MODELS))
    return QCoreApplication.translate("shell.status", "Inference: {providers}").format(
        providers=" + ".join(_provider_label(p) for p in providers))


def loaded_models(services: Services) -> list[tuple[str, str]]:
    """(model, "version · provider") for the About dialog."""
    return [(f"{s.manifest.name} ({s.manifest.id})",
             f"{s.manifest.version} · {provider_name(s.provider)}"
             + (QCoreApplication.translate("shell.status", " · DEMO, not for clinical use")
                if s.manifest.demo else ""))
            for s in _loaded(services)]


def _model_providers(services: Services) -> list[tuple[str, str]]:
    return [(s.manifest.label, s.provider) for s in _loaded(services)]


def _loaded(services: Services) -> list[Any]:
    models = getattr(services, "models", None)
    return list(models.loaded()) if models is not None else []
