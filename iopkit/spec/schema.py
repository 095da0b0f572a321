"""The JSON Schema of the spec format, generated from the model."""

from __future__ import annotations

import json
from typing import Any

from .model import Spec

def json_schema() -> dict[str, Any]:
    schema = Spec.model_json_schema(by_alias=True, mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "iopkit – partnerskapsbeskrivning (formatversion 1)"
    return schema


def schema_json() -> str:
    return json.dumps(json_schema(), ensure_ascii=False, indent=2, sort_keys=False)
