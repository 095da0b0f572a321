"""The rule registry: each rule is one function with its metadata in one decorator.

    @rule(code="IOP101", severity=Severity.WARNING, title="…", trigger="…", source="…")
    def per_unit_payment(ctx: RuleContext) -> Iterable[Hit]:
        if ctx.spec.economy.payment_form == "per prestation":
            yield Hit(("ekonomi", "ersättningsform"), "…")

A rule yields `Hit`s (a key path, a Swedish message, optionally an exact line and
column); the registry turns them into `Finding`s carrying the rule's code, severity and
source, so a rule never repeats its own metadata. `iopkit regler` lists the registry.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Callable, Iterable, Iterator

from ..spec.findings import Finding, KeyPath, Severity

if TYPE_CHECKING:
    from ..spec.loader import SpecDocument
    from ..spec.model import Spec
    from .assessment import Assessment
    from .settings import RuleSettings

#: Rules that run on every valid spec.
SPEC_STAGE = "spec"
#: Rules about `iopkit_undantag` itself; they run after the spec rules (exemptions.py).
EXEMPTION_STAGE = "undantag"


@dataclass(frozen=True)
class Hit:
    """What a rule found: where (key path, optionally exact line/column) and what to do."""

    path: KeyPath
    message: str
    line: int | None = None
    column: int | None = None
    #: What must be done first, phrased as the matter for the memo (see verdict.py).
    todo: str | None = None


@dataclass
class RuleContext:
    """Everything a rule may look at, plus helpers for pointing into free text."""

    spec: "Spec"
    document: "SpecDocument"
    settings: "RuleSettings"
    cache: dict[str, object] = field(default_factory=dict)

    @cached_property
    def facts(self) -> "Assessment":
        """The legal facts of the spec (assessment.py), decided once for every rule."""
        from .assessment import assess

        return assess(self.spec)

    @cached_property
    def lines(self) -> list[str]:
        return self.document.text.split("\n")

    @cached_property
    def _starts(self) -> list[tuple[int, int]]:
        positions = set(self.document.key_positions.values())
        positions |= set(self.document.value_positions.values())
        return sorted((p.line, p.column) for p in positions)

    def texts(self) -> Iterator[tuple[KeyPath, str]]:
        """Every text value in the spec with its key path, in file order, except under
        the keys in `settings.unscanned_keys` (the legal assessment, the exemptions)."""

        def walk(node: object, path: KeyPath) -> Iterator[tuple[KeyPath, str]]:
            if isinstance(node, str):
                yield path, node
            elif isinstance(node, dict):
                for key, value in node.items():
                    if not path and key in self.settings.unscanned_keys:
                        continue
                    yield from walk(value, path + (key,))
            elif isinstance(node, list):
                for index, value in enumerate(node):
                    yield from walk(value, path + (index,))

        yield from walk(self.document.data, ())

    def find_words(self, pattern: re.Pattern[str]
                   ) -> Iterator[tuple[KeyPath, str, int | None, int | None]]:
        """For each text value and each distinct word of `pattern` in it (first
        occurrence): the path, the word as written, and the line and column of the word."""
        for path, text in self.texts():
            seen: set[str] = set()
            for match in pattern.finditer(text):
                word = " ".join(match.group(0).split())
                if word.lower() in seen:
                    continue
                seen.add(word.lower())
                exact = re.compile(re.escape(match.group(0)).replace(r"\ ", r"\s+"),
                                   re.IGNORECASE)
                line, column = self.locate(path, exact)
                yield path, word, line, column

    def locate(self, path: KeyPath, pattern: re.Pattern[str]) -> tuple[int | None, int | None]:
        """The line and column of the first match of `pattern` inside the text value at
        `path`: for a block scalar (`|` or `>`) the line inside the text, not the key's
        line. Falls back to the value's start when the match cannot be found line by
        line (for example a phrase folded across two lines)."""
        start = self.document.value_position(path)
        following = [pos for pos in self._starts if pos > (start.line, start.column)]
        end_line, end_column = following[0] if following else (len(self.lines) + 1, 1)
        for number in range(start.line, max(start.line, end_line - 1) + 1):
            if number > len(self.lines):
                break
            text = self.lines[number - 1]
            begin = start.column - 1 if number == start.line else 0
            stop = end_column - 1 if number == end_line else len(text)
            match = pattern.search(text, begin, stop)
            if match:
                return number, match.start() + 1
        return start.line, start.column


RuleCheck = Callable[[RuleContext], Iterable[Hit]]


@dataclass(frozen=True)
class Rule:
    code: str
    severity: Severity
    title: str  # a short Swedish name: "Ersättning per prestation"
    trigger: str  # Swedish: when the rule reports, in the user's keys
    source: str  # the law, regulation or guidance the rule rests on
    check: RuleCheck
    stage: str = SPEC_STAGE

    def run(self, ctx: RuleContext) -> list[Finding]:
        return [self.finding(hit, ctx.document.file) for hit in self.check(ctx)]

    def finding(self, hit: Hit, file: str | None = None) -> Finding:
        return Finding(code=self.code, severity=self.severity, message=hit.message,
                       path=tuple(hit.path), line=hit.line, column=hit.column, file=file,
                       source=self.source, todo=hit.todo)

    def to_json(self) -> dict[str, str]:
        return {"code": self.code, "severity": self.severity.value, "title": self.title,
                "trigger": self.trigger, "source": self.source}


_RULES: dict[str, Rule] = {}

_CODE = re.compile(r"^IOP[1-9]\d\d$")


def rule(*, code: str, severity: Severity, title: str, trigger: str, source: str,
         stage: str = SPEC_STAGE) -> Callable[[RuleCheck], RuleCheck]:
    """Register the decorated function as the rule `code` (IOP100–IOP999; the model's
    own checks use IOP001–IOP099)."""
    if not _CODE.match(code):
        raise ValueError(f"rule code {code!r} must look like IOP101")

    def decorate(check: RuleCheck) -> RuleCheck:
        if code in _RULES and _RULES[code].check is not check:
            raise ValueError(f"rule code {code} registered twice")
        _RULES[code] = Rule(code=code, severity=severity, title=title, trigger=trigger,
                            source=source, check=check, stage=stage)
        return check

    return decorate


def all_rules() -> list[Rule]:
    """Every registered rule, ordered by code."""
    from . import load_rules

    load_rules()
    return [_RULES[code] for code in sorted(_RULES)]


def get_rule(code: str) -> Rule | None:
    from . import load_rules

    load_rules()
    return _RULES.get(code)


def iter_stage(stage: str) -> Iterator[Rule]:
    return (r for r in all_rules() if r.stage == stage)


def word_pattern(words: Iterable[str]) -> re.Pattern[str]:
    """A case-insensitive pattern matching any of `words` at the start of a word, through
    to the end of that word ("upphandl" matches "upphandlingen"); a space in a word
    matches any whitespace (so a phrase may be wrapped in a block)."""
    alternatives = sorted((re.escape(w).replace(r"\ ", r"\s+") for w in words),
                          key=len, reverse=True)
    return re.compile(r"(?<![\w-])(?:" + "|".join(alternatives) + r")\w*", re.IGNORECASE)
