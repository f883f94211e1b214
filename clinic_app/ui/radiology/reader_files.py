"""A reader's own files: their key bindings and their hanging protocols.

They sit beside the user's config file (``config.user_config_path()``'s folder), one
pair per signed-in user, named after the user so two readers sharing a desktop account
keep theirs apart. They hold no patient data (actions, keys, modality words, layouts),
so they live outside the encrypted store, where the reader can see and edit them; the
viewer names the folder and can reset either file.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication

from clinic_app.config import user_config_path
from clinic_app.core.imaging.hanging import Rule, default_rules, parse_rules, rule_to_json
from clinic_app.errors import InvalidInput
from clinic_app.ui.radiology.keymap import KeyMap, load_keymap


def _safe(username: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]", "_", username)[:64] or "user"


@dataclass(frozen=True)
class ReaderFiles:
    username: str
    folder: Path

    @classmethod
    def for_user(cls, username: str) -> ReaderFiles:
        return cls(username, user_config_path().parent)

    @property
    def keys_path(self) -> Path:
        return self.folder / f"reading-keys-{_safe(self.username)}.json"

    @property
    def protocols_path(self) -> Path:
        return self.folder / f"hanging-protocols-{_safe(self.username)}.json"

    # -- keys ----------------------------------------------------------------------------
    def keymap(self) -> KeyMap:
        """The reader's key map; the defaults when they have no file (a bad one raises)."""
        return load_keymap(self.keys_path)

    def reset_keys(self) -> bool:
        """Back to the shipped keys: the file is removed. True when there was one."""
        try:
            self.keys_path.unlink()
        except FileNotFoundError:
            return False
        return True

    # -- hanging protocols ---------------------------------------------------------------
    def own_rules(self) -> tuple[Rule, ...]:
        if not self.protocols_path.exists():
            return ()
        try:
            data = json.loads(self.protocols_path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise InvalidInput(QCoreApplication.translate(
                "ReaderFiles", "Your hanging protocols file cannot be read ({reason}): {path}").format(
                    reason=type(exc).__name__, path=self.protocols_path)) from None
        return parse_rules(data)

    def rules(self) -> tuple[Rule, ...]:
        """The reader's rules first, then the shipped ones."""
        return self.own_rules() + default_rules()

    def save_rule(self, rule: Rule) -> Path:
        """Keep ``rule`` first among the reader's own (one of the same name is replaced)."""
        kept = [r for r in self.own_rules() if r.name != rule.name]
        self.folder.mkdir(parents=True, exist_ok=True)
        tmp = self.protocols_path.with_suffix(".tmp")
        tmp.write_text(json.dumps({"rules": [rule_to_json(r) for r in [rule, *kept]]}, indent=2),
                       encoding="utf-8")
        os.replace(tmp, self.protocols_path)
        return self.protocols_path

    def reset_rules(self) -> bool:
        try:
            self.protocols_path.unlink()
        except FileNotFoundError:
            return False
        return True
