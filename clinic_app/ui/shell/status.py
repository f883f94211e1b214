"""What the status bar says: who is signed in, what runs inference, the store's state.

The provider shown is the one a model session actually got (onnxruntime-gpu may list
CUDA and run on the CPU), read from the model service; until a model is loaded there is
nothing to report but the CPU fallback.
"""

from __future__ import annotations

from typing import Any

from clinic_app.services import Services, Session
from clinic_app.ui.formatting import role_title

NO_MODELS = "CPU (no models loaded)"


def user_text(session: Session) -> str:
    return f"{session.username} · {role_title(session.role.value)}"


def store_text(session: Session) -> str:
    if session.locked:
        return "Store: locked"
    if session.has_clinical_key:
        return "Store: encrypted · patient data open"
    if session.role.is_clinician:
        return "Store: encrypted · access to patient data pending"
    return "Store: encrypted · system data only"


_PROVIDERS = {"CUDA": "CUDA", "Tensorrt": "TensorRT", "Dml": "DirectML", "CoreML": "CoreML",
              "CPU": "CPU"}


def provider_name(provider: str) -> str:
    """'CUDAExecutionProvider' -> 'CUDA' (as people write it)."""
    name = provider.removesuffix("ExecutionProvider")
    return _PROVIDERS.get(name, name)


def _provider_label(provider: str) -> str:
    name = provider_name(provider)
    return name if name == "CPU" else f"GPU ({name})"


def inference_text(services: Services) -> str:
    """"Inference: GPU (CUDA)" etc. from the providers the loaded models really run on."""
    providers = sorted({p for _, p in _model_providers(services)})
    if not providers:
        return f"Inference: {NO_MODELS}"
    return "Inference: " + " + ".join(_provider_label(p) for p in providers)


def loaded_models(services: Services) -> list[tuple[str, str]]:
    """(model, "version · provider") for the About dialog."""
    return [(f"{s.manifest.name} ({s.manifest.id})",
             f"{s.manifest.version} · {provider_name(s.provider)}"
             + (" · DEMO, not for clinical use" if s.manifest.demo else ""))
            for s in _loaded(services)]


def _model_providers(services: Services) -> list[tuple[str, str]]:
    return [(s.manifest.label, s.provider) for s in _loaded(services)]


def _loaded(services: Services) -> list[Any]:
    models = getattr(services, "models", None)
    return list(models.loaded()) if models is not None else []
