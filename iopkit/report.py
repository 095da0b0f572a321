"""Printing findings for people (Swedish text) and for programs (JSON)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from .rules.verdict import blocks
from .spec.findings import CheckResult, Finding, Severity


def plural(count: int, singular: str, plural_form: str) -> str:
    return f"{count} {singular if count == 1 else plural_form}"


_SEVERITY_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow",
                   Severity.INFO: "cyan"}


@dataclass
class Summary:
    files: int = 0
    errors: int = 0
    warnings: int = 0
    infos: int = 0
    silenced: int = 0
    unreadable: list[str] = field(default_factory=list)

    def add(self, result: CheckResult) -> None:
        self.files += 1
        self.errors += len(result.errors)
        self.warnings += len(result.warnings)
        self.infos += len(result.infos)
        self.silenced += sum(1 for f in result.findings if f.silenced)

    def text(self) -> str:
        parts = [plural(self.errors, "fel", "fel"),
                 plural(self.warnings, "varning", "varningar"),
                 plural(self.infos, "upplysning", "upplysningar")]
        line = f"Kontrollerade {plural(self.files, 'fil', 'filer')}: " + ", ".join(parts)
        if self.silenced:
            line += f" ({plural(self.silenced, 'undantagen regel', 'undantagna regler')})"
        if self.unreadable:
            line += f". {plural(len(self.unreadable), 'fil', 'filer')} kunde inte läsas"
        return line + "."

    def to_json(self) -> dict[str, Any]:
        return {"files": self.files, "errors": self.errors, "warnings": self.warnings,
                "info": self.infos, "silenced": self.silenced,
                "unreadable": len(self.unreadable)}


#: From this many findings of one code in one file, text output shows them as one line
#: (a new scaffold has fifty FYLL I lines); `-v` shows every one.
GROUP_FROM = 4
#: How many line numbers a grouped line names before "…".
GROUP_LINES_SHOWN = 6


def group_findings(findings: list[Finding]) -> list[Finding | list[Finding]]:
    """The findings in order, with each code that occurs GROUP_FROM times or more
    replaced, at its first place, by the list of its findings."""
    by_code: dict[str, list[Finding]] = {}
    for finding in findings:
        by_code.setdefault(finding.code, []).append(finding)
    out: list[Finding | list[Finding]] = []
    for finding in findings:
        same = by_code[finding.code]
        if len(same) < GROUP_FROM:
            out.append(finding)
        elif finding is same[0]:
            out.append(same)
    return out


def group_text(group: list[Finding]) -> str:
    """"IOP160 Ifyllnadstext kvar på 53 rader (rad 12, 14, 16, 18, 20, 22 …)"."""
    from .rules.registry import get_rule

    rule = get_rule(group[0].code)
    title = rule.title if rule is not None else "Anmärkning"
    lines = sorted({f.line for f in group if f.line is not None})
    shown = ", ".join(str(n) for n in lines[:GROUP_LINES_SHOWN])
    more = " …" if len(lines) > GROUP_LINES_SHOWN else ""
    where = f"på {len(lines)} rader (rad {shown}{more})" if len(lines) == len(group) \
        else f"{len(group)} gånger (rad {shown}{more})"
    return (f"{group[0].code} {title} {where}. Första: {group[0].message} Visa varje "
            "anmärkning med -v.")


def print_findings(console: Any, result: CheckResult, strict: bool = False,
                   verbose: bool = False) -> None:
    """Print a file's active findings, then `fil: OK` when it passes. Many findings of
    one code are one line unless `verbose` (see group_findings). `console` is a rich
    Console (colours) or anything with a plain `print(text)`."""
    styled = hasattr(console, "is_terminal") and console.is_terminal
    if styled:
        from rich.text import Text

    def emit(segments: list[tuple[str, str | None]]) -> None:
        if styled:
            line = Text()
            for text, style in segments:
                line.append(text, style=style)
            console.print(line, soft_wrap=True, highlight=False)
        else:
            console.print("".join(text for text, _ in segments))

    active = result.active()
    for item in ([*active] if verbose else group_findings(active)):
        if isinstance(item, list):
            first = item[0]
            emit([(f"{result.file}: ", "bold"),
                  (first.severity.value, _SEVERITY_STYLE[first.severity]),
                  (f" {group_text(item)}", None)])
            if first.source:
                emit([(f"    Källa: {first.source}", "dim")])
            continue
        finding = item
        segments = [(f"{finding.location_text()}: ", "bold"),
                    (finding.severity.value, _SEVERITY_STYLE[finding.severity]),
                    (f" {finding.code}", None)]
        if finding.path_text:
            segments.append((f" {finding.path_text}:", "bold"))
        segments.append((f" {finding.message}", None))
        if blocks(finding):
            segments.append((" (hindrar beslut)", "bold"))
        emit(segments)
        if finding.source:
            emit([(f"    Källa: {finding.source}", "dim")])
    if not result.errors and not (strict and result.warnings):
        status = "OK" if not active else "OK, med anmärkningar"
        emit([(f"{result.file}: {status}", "green")])


def json_report(results: list[CheckResult], summary: Summary,
                io_problems: list[tuple[str, str]]) -> str:
    findings = [{**f.to_json(), "blocks_decision": blocks(f)}
                for r in results for f in r.findings]
    findings += [{"file": file, "line": None, "column": None, "path": "", "code": "IOP000",
                  "severity": "fel", "message": message, "source": None, "silenced": False,
                  "silence_reason": None, "blocks_decision": True}
                 for file, message in io_problems]
    files = [{"file": r.file, "ok": r.ok, "errors": len(r.errors),
              "warnings": len(r.warnings), "info": len(r.infos)} for r in results]
    files += [{"file": file, "ok": False, "errors": 1, "warnings": 0, "info": 0}
              for file, _ in io_problems]
    return json.dumps({"findings": findings, "files": files, "summary": summary.to_json()},
                      ensure_ascii=False, indent=2)
