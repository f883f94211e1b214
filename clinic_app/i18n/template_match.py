"""Translate text the program wrote in English from a template, when it is shown.

Messages that are stored, audited, logged or compared (import refusals, self-test
details, provider checks) are written in English so they never depend on the language
of whoever produced them. A table of their English templates turns such a message
back into its template and parts, and the template's translation is filled with the
same parts: the parts (file names, tag keywords, numbers, quoted values) are never
translated, except the ones named ``nested``, which are themselves messages of ours.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping

_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def template_pattern(template: str) -> re.Pattern[str]:
    """``"{tag} is damaged: {what}"`` -> a regex with one lazy group per placeholder."""
    parts = _PLACEHOLDER.split(template)  # literal, name, literal, name, ...
    body = "".join(re.escape(part) if i % 2 == 0 else f"(?P<{part}>.+?)" for i, part in enumerate(parts))
    return re.compile(f"^{body}$", re.S)


class TemplateWording:
    """One context's templates, most specific first.

    ``lookup`` translates a template; the caller writes it as ``translate("<literal
    context>", template)`` so the context stays a literal lupdate and the tests can read.
    """

    def __init__(self, lookup: Callable[[str], str], templates: Iterable[str],
                 nested: frozenset[str] = frozenset(),
                 parts: Mapping[str, Callable[[str], str]] | None = None) -> None:
        self.lookup = lookup
        self.templates = tuple(templates)
        self.nested = nested
        self.parts = dict(parts or {})
        self._patterns = tuple((template_pattern(t), t) for t in self.templates)

    def shown(self, text: str) -> str:
        """``text`` in the reader's language; text no template matches is returned as it is."""
        for pattern, template in self._patterns:
            found = pattern.match(text)
            if found:
                values = found.groupdict()
                for name in self.nested & values.keys():
                    values[name] = self.shown(values[name])
                for name, convert in self.parts.items():
                    if name in values:
                        values[name] = convert(values[name])
                return self.lookup(template).format(**values)
        return text
