"""Findings: what `check` reports about a spec, with its location.

A finding is the single currency between the loader, the model validation, the
rule engine and the CLI. Severity names are the Swedish words users see.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any, Iterable

# A key path as the user wrote it: ("mål", 1, "behov", 0) means mål[1].behov[0].
KeyPath = tuple[str | int, ...]


class Severity(str, Enum):
    ERROR = "fel"
    WARNING = "varning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"fel": 0, "varning": 1, "info": 2}[self.value]


def format_path(path: KeyPath) -> str:
    """Render a key path the way it reads in the YAML: `mål[1].behov[0]`."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


@dataclass(frozen=True)
class Position:
    line: int  # 1-based
    column: int  # 1-based


@dataclass
class Finding:
    code: str
    severity: Severity
    message: str
    path: KeyPath = ()
    line: int | None = None
    column: int | None = None
    file: str | None = None
    source: str | None = None
    silenced: bool = False
    silence_reason: str | None = None
    #: What must be done before the decision, in plain Swedish for a nämnd (no key
    #: paths, codes or YAML); set by rules whose findings can stop the decision
    #: (rules/verdict.py).
    todo: str | None = None

    @property
    def path_text(self) -> str:
        return format_path(self.path)

    def location_text(self) -> str:
        parts = [self.file or "<okänd fil>"]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "path": self.path_text,
            "code": self.code,
            "severity": self.severity.value,
            "message": self.message,
            "source": self.source,
            "silenced": self.silenced,
            "silence_reason": self.silence_reason,
        }


@dataclass
class CheckResult:
    """All findings for one file, and the validated spec when there were no errors."""

    file: str
    findings: list[Finding] = field(default_factory=list)
    spec: Any = None  # iopkit.spec.model.Spec when valid
    document: Any = None  # iopkit.spec.loader.SpecDocument when the YAML could be read

    def active(self) -> list[Finding]:
        return [f for f in self.findings if not f.silenced]

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.active() if f.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.active() if f.severity is Severity.WARNING]

    @property
    def infos(self) -> list[Finding]:
        return [f for f in self.active() if f.severity is Severity.INFO]

    @property
    def ok(self) -> bool:
        return not self.errors


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Order by position in the file, then severity, so output follows the file."""
    return sorted(
        findings,
        key=lambda f: (
            f.line if f.line is not None else 0,
            f.column if f.column is not None else 0,
            f.severity.rank,
            f.code,
            f.path_text,
        ),
    )


def display_name(path: Path | str) -> str:
    return str(path)
