"""Read a Qt Linguist ``.ts`` catalogue; write the JSON table the Qt-free side loads.

The ``.ts`` is XML edited by translators and tools, so it is parsed with defusedxml
(no entity expansion, no external entities). Only finished translations are compiled,
exactly as ``lrelease`` does for the ``.qm``, so the GUI and the CLI agree.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from defusedxml import ElementTree


@dataclass(frozen=True)
class Message:
    context: str
    source: str
    translation: str
    #: None for a finished entry; "unfinished", "obsolete" or "vanished" otherwise.
    state: str | None


def read_ts(data: bytes) -> list[Message]:
    root = ElementTree.fromstring(data)
    out: list[Message] = []
    for ctx in root.iter("context"):
        name = ctx.findtext("name") or ""
        for msg in ctx.iter("message"):
            tr = msg.find("translation")
            out.append(Message(name, msg.findtext("source") or "",
                               (tr.text or "") if tr is not None else "",
                               tr.get("type") if tr is not None else "unfinished"))
    return out


def compile_json(data: bytes, language: str) -> str:
    contexts: dict[str, dict[str, str]] = {}
    for m in read_ts(data):
        if m.state is None and m.translation:
            contexts.setdefault(m.context, {})[m.source] = m.translation
    body = {"language": language,
            "contexts": {c: dict(sorted(v.items())) for c, v in sorted(contexts.items())}}
    return json.dumps(body, ensure_ascii=False, indent=0, sort_keys=False) + "\n"
