"""Matching list items of two versions: by what identifies them, then leftovers by a
fallback key, then leftovers whose texts are alike (a reworded item), with a bound on
the work so that it grows with the list, not with its square."""

from __future__ import annotations

import difflib
import itertools
import re
from typing import Any, Callable, Iterable, Sequence, TypeVar

from ..spec.model import Resource, Spec
from .changes import REWORD_SIMILARITY, normalise

T = TypeVar("T")


def match_items(old: Sequence[T], new: Sequence[T], key: Callable[[T], Any] | None,
           fallback: Callable[[T], Any] | None = None,
           similar: Callable[[T], str] | None = None,
           ) -> tuple[list[tuple[int, int]], list[int], list[int]]:
    """Pair items of `old` and `new` by `key`, then leftovers by `fallback` key, then
    leftovers whose `similar` text is alike. Returns (pairs, removed, added) as indexes,
    pairs in the order of `new`."""
    pairs: list[tuple[int, int]] = []
    left_old = list(range(len(old)))
    left_new = list(range(len(new)))

    def pair_by(get: Callable[[T], Any]) -> None:
        nonlocal left_old, left_new
        index: dict[Any, int] = {}
        for i in left_old:
            index.setdefault(get(old[i]), i)
        paired_old: set[int] = set()
        unpaired_new = []
        for j in left_new:
            found = index.pop(get(new[j]), None)
            if found is None:
                unpaired_new.append(j)
            else:
                pairs.append((found, j))
                paired_old.add(found)
        left_old = [i for i in left_old if i not in paired_old]
        left_new = unpaired_new

    if key is not None:
        pair_by(key)
    if fallback is not None:
        pair_by(fallback)
    if similar is not None and left_old and left_new:
        found = pair_similar([similar(old[i]) for i in left_old],
                              [similar(new[j]) for j in left_new])
        pairs.extend((left_old[a], left_new[b]) for a, b in found)
        paired_old = {a for a, _ in found}
        paired_new = {b for _, b in found}
        left_old = [i for a, i in enumerate(left_old) if a not in paired_old]
        left_new = [j for b, j in enumerate(left_new) if b not in paired_new]
    pairs.sort(key=lambda p: p[1])
    return pairs, left_old, left_new


#: Up to this many leftover pairs every removed item is compared with every added one;
#: beyond it (a list of hundreds of reworded items) each is compared with the added
#: items near its own place in the list only, so the work grows with the list, not with
#: its square. At most MAX_COMPARISONS comparisons per list: what is left after that
#: reads as removed and added (the report is longer, never wrong).
ALL_PAIRS_UP_TO = 400
NEAR_PLACES = 3
MAX_COMPARISONS = 3000
#: The words of each text that are compared: enough to tell a reworded clause from
#: another one, and a bound on the work per pair.
COMPARED_WORDS = 120
_WORDS = re.compile(r"\w+|[^\w\s]")


def pair_similar(old: Sequence[str], new: Sequence[str]) -> list[tuple[int, int]]:
    """Pairs (index in old, index in new) of texts whose words are alike enough
    (REWORD_SIMILARITY) to be one reworded item, the most alike first."""
    old_words = [_WORDS.findall((normalise(t) or "").lower())[:COMPARED_WORDS] for t in old]
    new_words = [_WORDS.findall((normalise(t) or "").lower())[:COMPARED_WORDS] for t in new]
    if len(old) * len(new) <= ALL_PAIRS_UP_TO:
        candidates: Iterable[tuple[int, int]] = (
            (i, j) for i in range(len(old)) for j in range(len(new)))
    else:
        scale = len(new) / len(old)
        candidates = (
            (i, j) for i in range(len(old))
            for j in range(max(0, round(i * scale) - NEAR_PLACES),
                           min(len(new), round(i * scale) + NEAR_PLACES + 1)))
    scored = []
    for i, j in itertools.islice(candidates, MAX_COMPARISONS):
        matcher = difflib.SequenceMatcher(None, old_words[i], new_words[j], autojunk=False)
        if matcher.real_quick_ratio() < REWORD_SIMILARITY or \
                matcher.quick_ratio() < REWORD_SIMILARITY:
            continue  # cheap upper bounds of the ratio: cannot be alike enough
        ratio = matcher.ratio() if old_words[i] or new_words[j] else 1.0
        if ratio >= REWORD_SIMILARITY:
            scored.append((ratio, i, j))
    scored.sort(key=lambda c: (-c[0], c[1], c[2]))
    pairs = []
    used_old: set[int] = set()
    used_new: set[int] = set()
    for _, i, j in scored:
        if i not in used_old and j not in used_new:
            pairs.append((i, j))
            used_old.add(i)
            used_new.add(j)
    return pairs


def match_leftovers(old: Sequence[Resource], new: Sequence[Resource], removed: list[int],
                     added: list[int], group: Callable[[Resource, Spec], Any],
                     old_spec: Spec, new_spec: Spec,
                     ) -> tuple[list[tuple[int, int]], list[int], list[int]]:
    """Pair a removed and an added resource of the same party and type: when exactly one
    of each is left, or when their descriptions are alike."""
    pairs: list[tuple[int, int]] = []
    removed, added = list(removed), list(added)
    groups: dict[Any, tuple[list[int], list[int]]] = {}
    for i in removed:
        groups.setdefault(group(old[i], old_spec), ([], []))[0].append(i)
    for j in added:
        groups.setdefault(group(new[j], new_spec), ([], []))[1].append(j)
    for olds, news in groups.values():
        if not olds or not news:
            continue
        if len(olds) == 1 and len(news) == 1:
            found = [(olds[0], news[0])]
        else:
            found, _, _ = match_items([old[i] for i in olds], [new[j] for j in news],
                                 key=None, similar=lambda r: r.description)
            found = [(olds[a], news[b]) for a, b in found]
        for i, j in found:
            pairs.append((i, j))
            removed.remove(i)
            added.remove(j)
    return pairs, removed, added
