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

import bisect
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

    @cached_property
    def _line_offsets(self) -> list[int]:
        """The offset in the document's text where each line (1-based: index - 1) starts."""
        offsets = [0]
        text = self.document.text
        index = text.find("\n")
        while index >= 0:
            offsets.append(index + 1)
            index = text.find("\n", index + 1)
        return offsets

    def _offset(self, line: int, column: int) -> int:
        offsets = self._line_offsets
        if line > len(offsets):
            return len(self.document.text)
        return min(offsets[line - 1] + column - 1, len(self.document.text))

    def _line_column(self, offset: int) -> tuple[int, int]:
        row = bisect.bisect_right(self._line_offsets, offset) - 1
        return row + 1, offset - self._line_offsets[row] + 1

    def _value_span(self, path: KeyPath) -> tuple[int, int]:
        """The part of the document's text from where the value at `path` starts to
        where the next key or value starts (a block text's lines, a quoted text)."""
        start = self.document.value_position(path)
        following = bisect.bisect_right(self._starts, (start.line, start.column))
        end_line, end_column = self._starts[following] if following < len(self._starts) \
            else (len(self._line_offsets) + 1, 1)
        return self._offset(start.line, start.column), self._offset(end_line, end_column)

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
        occurrence): the path, the word as written, and the line and column of the word.

        The words of one value are found in the file's text by one pass of `pattern`
        over the value's lines, so that many words cost no more than one long text (a
        spec of 2 MB with 100 000 such words is checked in about a second)."""
        for path, text in self.texts():
            seen: set[str] = set()
            raw: Iterator[re.Match[str]] | None = None
            for match in pattern.finditer(text):
                word = " ".join(match.group(0).split())
                if word.lower() in seen:
                    continue
                seen.add(word.lower())
                if raw is None:
                    start, end = self._value_span(path)
                    raw = pattern.finditer(self.document.text, start, end)
                line, column = self._next_raw(raw, word.lower())
                if line is None:  # escapes or folding changed the words: the value's start
                    position = self.document.value_position(path)
                    line, column = position.line, position.column
                    raw = iter(())
                yield path, word, line, column

    def _next_raw(self, raw: Iterator[re.Match[str]], word: str
                  ) -> tuple[int | None, int | None]:
        for found in raw:
            if " ".join(found.group(0).split()).lower() == word:
                return self._line_column(found.start())
        return None, None

    def locate(self, path: KeyPath, pattern: re.Pattern[str]) -> tuple[int | None, int | None]:
        """The line and column of the first match of `pattern` inside the text value at
        `path`: for a block scalar (`|` or `>`) the line inside the text, not the key's
        line. Falls back to the value's start when the match cannot be found in the
        file's text (for example a word written with an escape)."""
        start, end = self._value_span(path)
        match = pattern.search(self.document.text, start, end)
        if match:
            return self._line_column(match.start())
        position = self.document.value_position(path)
        return position.line, position.column


#: Findings one rule reports for one file before it says "there are more" and stops.
MAX_FINDINGS_PER_RULE = 500

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
        """The rule's findings, at most MAX_FINDINGS_PER_RULE and then one that says
        there are more (the rule stops looking: a file with a marker on each of 200 000
        lines is checked in a second, not in minutes, and the list stays readable)."""
        findings: list[Finding] = []
        for hit in self.check(ctx):
            if len(findings) == MAX_FINDINGS_PER_RULE:
                findings.append(self.finding(Hit((), (
                    f"Det finns fler ställen med samma anmärkning; iopkit visar bara de "
                    f"första {MAX_FINDINGS_PER_RULE}. Rätta dem och kör kontrollen igen."),
                    hit.line, hit.column), ctx.document.file))
                break
            findings.append(self.finding(hit, ctx.document.file))
        return findings

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
