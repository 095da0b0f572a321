"""The Swedish key names of the format, derived from the model's field aliases.

The model (`spec/model.py`) is the one source of truth for key names: every field has
its Swedish key as alias. Other modules that name keys (the template context, `diff`,
the user guide's generator, the rules' finding paths) either derive them from here or
are held to them by tests (`tests/test_keys.py`).

Key paths are written as in the user guide: `parter[].kontaktperson.namn`.
"""

from __future__ import annotations

import types
import typing
from functools import lru_cache
from typing import Any

from pydantic import BaseModel

from .findings import KeyPath
from .model import Spec


def _models_in(annotation: Any) -> tuple[type[BaseModel] | None, bool]:
    """The model class inside an annotation (`X`, `X | None`, `list[X]`), and whether
    it is a list."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            model, is_list = _models_in(arg)
            if model is not None:
                return model, is_list
        return None, False
    if origin in (list, tuple):
        args = typing.get_args(annotation)
        model, _ = _models_in(args[0]) if args else (None, False)
        return model, True
    if origin is typing.Annotated:
        return _models_in(typing.get_args(annotation)[0])
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation, False
    return None, False


@lru_cache(maxsize=None)
def key_paths(model: type[BaseModel] = Spec, prefix: str = "") -> tuple[str, ...]:
    """Every key path of `model`, parents before their children, in the model's order."""
    out: list[str] = []
    for field in model.model_fields.values():
        alias = field.alias
        if not alias:
            continue
        path = f"{prefix}.{alias}" if prefix else alias
        out.append(path)
        inner, is_list = _models_in(field.annotation)
        if inner is not None:
            out.extend(key_paths(inner, path + ("[]" if is_list else "")))
    return tuple(out)


def leaf_key_paths() -> tuple[str, ...]:
    """Key paths that hold values, not groups of keys or lists of entries."""
    paths = key_paths()
    return tuple(p for p in paths
                 if not any(q.startswith(p + ".") or q.startswith(p + "[].") for q in paths))


def generic(path: KeyPath | str) -> str:
    """`("parter", 0, "namn")` or "parter[0].namn" → "parter[].namn"."""
    if isinstance(path, str):
        import re

        return re.sub(r"\[\d+\]", "[]", path)
    out = ""
    for part in path:
        out += "[]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def is_key_path(path: KeyPath | str) -> bool:
    """Whether `path` names a key of the format, or an entry of a list key (list
    indexes allowed: "parter[2].namn", "parter[2]")."""
    name = generic(path)
    while name.endswith("[]"):
        name = name[:-2]
    return name in key_paths()


def alias(model: type[BaseModel], field: str) -> str:
    """The Swedish key of `model.field` (raises KeyError for an unknown field)."""
    info = model.model_fields[field]
    if not info.alias:
        raise KeyError(field)
    return info.alias
