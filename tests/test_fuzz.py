"""Fuzzing: random YAML and random mutations of the examples never crash iopkit.

Every run must end with exit code 0, 1 or 2 and a message, never a traceback and never
a hang. The number of examples is set by the hypothesis profile below; CI runs the
default profile (a few thousand inputs across this file).
"""

from __future__ import annotations

import copy
import os
import signal
from contextlib import contextmanager
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import EXAMPLES, run

settings.register_profile(
    "iopkit", deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                   HealthCheck.function_scoped_fixture])
settings.load_profile("iopkit")
EXAMPLES_COUNT = int(os.environ.get("IOPKIT_FUZZ_EXAMPLES", "600"))
EXAMPLE_SPECS = sorted(EXAMPLES.glob("*.yaml"))
EXAMPLE_DATA = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in EXAMPLE_SPECS]


@contextmanager
def hang_guard(seconds: int = 20):
    """Turn a hang into a test failure instead of a stuck CI run."""

    def on_alarm(signum, frame):
        raise AssertionError(f"iopkit hängde sig (mer än {seconds} s)")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def assert_clean_exit(result) -> None:
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"undantag: {result.exception!r}\n{result.output}") \
            from result.exception
    assert result.exit_code in (0, 1, 2), result.output
    assert "Traceback" not in result.output
    assert result.output.strip(), "no message at all"


def check_bytes(runner, tmp_path: Path, data: bytes):
    spec = tmp_path / "fuzz.yaml"
    spec.write_bytes(data)
    with hang_guard():
        result = run(runner, "check", spec)
    assert_clean_exit(result)
    return result


# --- random documents -------------------------------------------------------------

KNOWN_KEYS = ["iopkit", "partnerskap", "namn", "parter", "id", "typ", "organisationsnummer",
              "behov", "mål", "insatser", "resurser", "belopp_per_år", "avtalsperiod",
              "start", "slut", "ekonomi", "styrning", "uppföljning", "villkor", "rubrik"]
text = st.text(max_size=40)
scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**12, 10**12),
                    st.floats(allow_nan=True), text, st.dates().map(str),
                    st.sampled_from(["ja", "nej", "no", "10:30", "8024613575", "~", "1e3",
                                     "kommun", "ideell förening", "2027-02-30"]))
keys = st.one_of(st.sampled_from(KNOWN_KEYS), text)
documents = st.recursive(
    scalars,
    lambda children: st.one_of(st.lists(children, max_size=5),
                               st.dictionaries(keys, children, max_size=6)),
    max_leaves=30)


@settings(max_examples=EXAMPLES_COUNT)
@given(document=st.dictionaries(keys, documents, max_size=8))
def test_random_yaml_documents(runner, tmp_path, document):
    data = yaml.safe_dump(document, allow_unicode=True).encode("utf-8")
    check_bytes(runner, tmp_path, data)


@settings(max_examples=EXAMPLES_COUNT)
@given(data=st.binary(max_size=400))
def test_random_bytes(runner, tmp_path, data):
    check_bytes(runner, tmp_path, data)


@settings(max_examples=EXAMPLES_COUNT)
@given(source=st.text(alphabet=st.characters(), max_size=300))
def test_random_text(runner, tmp_path, source):
    check_bytes(runner, tmp_path, source.encode("utf-8", "surrogatepass"))


# --- mutations of the examples ------------------------------------------------------


def paths_of(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from paths_of(value, prefix + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from paths_of(value, prefix + (index,))


def set_at(root, path, value):
    node = root
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value


def delete_at(root, path):
    node = root
    for part in path[:-1]:
        node = node[part]
    del node[path[-1]]


def nested(depth: int):
    value = "botten"
    for _ in range(depth):
        value = {"nivå": [value]}
    return value


replacements = st.one_of(
    scalars, st.lists(scalars, max_size=3), st.dictionaries(text, scalars, max_size=3),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=30),
    st.sampled_from(["\x00", "\x0b", "\ufffe", "a\x1bb", "<w:t>&amp;</w:t>", "*_#|<>[]&",
                     "{{ 7*7 }}", "{% raw %}", "' \" \\", "\u202e", "🙂"]),
    st.integers(1, 50_000).map(lambda n: "x" * n),
    # Up to 200 levels: far past the loader's limit of 64, yet shallow enough for
    # yaml.safe_dump in the test itself (each level costs it six Python frames).
    st.integers(1, 100).map(nested),
)


@st.composite
def mutated_specs(draw):
    data = copy.deepcopy(draw(st.sampled_from(EXAMPLE_DATA)))
    for _ in range(draw(st.integers(1, 4))):
        paths = [p for p in paths_of(data) if p]
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        action = draw(st.sampled_from(["delete", "replace", "append-text"]))
        try:
            if action == "delete":
                delete_at(data, path)
            elif action == "replace":
                set_at(data, path, draw(replacements))
            else:
                node = data
                for part in path[:-1]:
                    node = node[part]
                current = node[path[-1]]
                if isinstance(current, str):
                    node[path[-1]] = current + draw(st.text(max_size=20))
        except (KeyError, IndexError, TypeError):
            continue
    return data


@settings(max_examples=EXAMPLES_COUNT)
@given(data=mutated_specs())
def test_mutated_examples(runner, tmp_path, data):
    source = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    check_bytes(runner, tmp_path, source.encode("utf-8", "surrogatepass"))


@pytest.mark.parametrize("spec", EXAMPLE_SPECS, ids=[p.name for p in EXAMPLE_SPECS])
def test_examples_survive_truncation_at_every_tenth_line(runner, tmp_path, spec):
    lines = spec.read_text(encoding="utf-8").splitlines(keepends=True)
    for cut in range(0, len(lines), 10):
        check_bytes(runner, tmp_path, "".join(lines[:cut]).encode("utf-8"))


# --- render -------------------------------------------------------------------------

RENDER_EXAMPLES = max(50, EXAMPLES_COUNT // 4)


@settings(max_examples=RENDER_EXAMPLES)
@given(data=mutated_specs(), fmt=st.sampled_from(["docx", "md", "html", "docx,md,html"]))
def test_render_mutated_examples(runner, tmp_path, data, fmt):
    """Valid or not, render answers with 0, 1 or 2 and leaves no partial file behind."""
    source = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    spec = tmp_path / "fuzz.yaml"
    spec.write_bytes(source.encode("utf-8", "surrogatepass"))
    out = tmp_path / "ut"
    out.mkdir(exist_ok=True)
    for old in out.iterdir():
        old.unlink()
    with hang_guard(60):
        result = run(runner, "render", spec, "-o", out, "--format", fmt)
    assert_clean_exit(result)
    written = sorted(p.name for p in out.iterdir())
    assert not [name for name in written if name.startswith(".")], written  # no temp files
    if result.exit_code == 0:
        assert len(written) == 2 * len(fmt.split(",")), written
    else:
        assert written == [], written


@settings(max_examples=RENDER_EXAMPLES)
@given(value=st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=60))
def test_render_any_text_value(runner, tmp_path, value):
    """Any characters in a text value render to a valid docx or a clear error."""
    data = copy.deepcopy(EXAMPLE_DATA[0])
    data["partnerskap"]["bakgrund"] = value
    data["villkor"] = [{"rubrik": value, "text": value}]
    spec = tmp_path / "text.yaml"
    spec.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                    encoding="utf-8", errors="surrogatepass")
    out = tmp_path / "ut"
    out.mkdir(exist_ok=True)
    with hang_guard(60):
        result = run(runner, "render", spec, "-o", out, "--force")
    assert_clean_exit(result)
    if result.exit_code == 0:
        import docx

        for document in out.glob("*.docx"):
            docx.Document(str(document))  # opens: the XML is well formed


# Inputs the fuzzer once found crashing; each stays as a regression test.
KNOWN_CRASHERS = [
    "0:\x850",  # NEL is a YAML line break: line numbers past a split on "\n"
    "a:\u2028\tb: c: d",
    "\t\x85a: b\n",
]


@pytest.mark.parametrize("text_input", KNOWN_CRASHERS)
def test_known_crashers(runner, tmp_path, text_input):
    check_bytes(runner, tmp_path, text_input.encode("utf-8"))


# --- hostile structures: deep nesting, huge numbers, control characters -------------
# Quick by default (a few dozen inputs each); the `slow` variants run the full profile.

HOSTILE_EXAMPLES = max(30, EXAMPLES_COUNT // 6)


@st.composite
def deep_nesting(draw):
    """A real spec with a value nested far deeper than any spec: flow brackets, block
    indentation or block list dashes, closed or left open."""
    depth = draw(st.one_of(st.integers(60, 70), st.integers(70, 3000),
                           st.sampled_from([10_000, 25_000])))
    kind = draw(st.sampled_from(["[", "{", "indent", "dashes"]))
    if kind == "[":
        value = "[" * depth + ("]" * depth if draw(st.booleans()) else "")
    elif kind == "{":
        value = "{a: " * depth + ("}" * depth if draw(st.booleans()) else "")
    elif kind == "indent":
        value = "\n" + "".join(" " * (i + 1) + f"k{i}:\n" for i in range(min(depth, 400)))
    else:
        value = "\n" + "".join(" " * (i + 1) + "- \n" for i in range(min(depth, 400)))
    source = EXAMPLE_SPECS[0].read_text(encoding="utf-8")
    key = draw(st.sampled_from(["bakgrund", "syfte", "målgrupp"]))
    lines = source.splitlines()
    index = next(i for i, line in enumerate(lines) if line.strip().startswith(key + ":"))
    indent = lines[index][: len(lines[index]) - len(lines[index].lstrip())]
    lines[index] = f"{indent}{key}: {value}" if not value.startswith("\n") else \
        f"{indent}{key}:" + value.replace("\n ", "\n " + indent)
    return "\n".join(lines) + "\n", depth


@settings(max_examples=HOSTILE_EXAMPLES)
@given(case=deep_nesting())
def test_deep_nesting_is_refused_before_parsing(runner, tmp_path, case):
    source, depth = case
    result = check_bytes(runner, tmp_path, source.encode("utf-8"))
    assert result.exit_code == 1, result.output
    if depth > 70:
        assert "för djupt nästlad" in result.stdout, result.stdout


NUMERIC_PATHS = [("avtalsperiod", "uppsägningstid_månader"), ("avtalsperiod", "start"),
                 ("avtalsperiod", "slut"), ("rättslig_bedömning", "eurokurs"),
                 ("resurser", 0, "belopp_per_år"), ("resurser", 0, "timmar_per_år"),
                 ("uppföljning", "första_datum")]
huge_numbers = st.one_of(
    st.integers(10**12, 10**40).map(str), st.integers(-10**30, -1).map(str),
    st.integers(1, 600).map(lambda n: "9" * n),
    st.sampled_from(["1e400", "1e-400", "inf", "nan", "0", "0.0", "1,5", "9" * 400 + ".5",
                     "9999-12-31", "0001-01-01", "2199-12-31", "1900-01-01", "10000-01-01"]),
    st.integers(0, 10**13).map(str))


@st.composite
def specs_with_huge_numbers(draw):
    data = copy.deepcopy(EXAMPLE_DATA[0])
    for path in draw(st.lists(st.sampled_from(NUMERIC_PATHS), min_size=1, max_size=3)):
        node = data
        for part in path[:-1]:
            node = node.setdefault(part, {}) if isinstance(part, str) else node[part]
        node[path[-1]] = draw(huge_numbers)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def check_then_render(runner, tmp_path: Path, source: str) -> None:
    """What check passes, render renders: never an internal error after a clean check."""
    result = check_bytes(runner, tmp_path, source.encode("utf-8", "surrogatepass"))
    assert "Internt fel" not in result.output
    if result.exit_code != 0:
        return
    out = tmp_path / "ut"
    out.mkdir(exist_ok=True)
    with hang_guard(60):
        rendered = run(runner, "render", tmp_path / "fuzz.yaml", "-o", out, "--force",
                       "-f", "docx,md")
    assert rendered.exit_code == 0, rendered.output


@settings(max_examples=HOSTILE_EXAMPLES)
@given(source=specs_with_huge_numbers())
def test_huge_numbers_are_findings_and_what_passes_renders(runner, tmp_path, source):
    check_then_render(runner, tmp_path, source)


control_text = st.text(alphabet=st.one_of(
    st.characters(categories=["Cc", "Cf", "Zl", "Zp"]),
    st.sampled_from(["\u202e", "\u2066", "\u200f", "\x85", "\u2028", "\ufeff", "\t"]),
    st.characters(codec="utf-8")), min_size=1, max_size=30)


@st.composite
def specs_with_control_characters(draw):
    data = copy.deepcopy(draw(st.sampled_from(EXAMPLE_DATA)))
    texts = [p for p in paths_of(data) if p and isinstance(_get(data, p), str)]
    for path in draw(st.lists(st.sampled_from(texts), min_size=1, max_size=3)):
        set_at(data, path, _get(data, path) + draw(control_text))
    if draw(st.booleans()):  # and once in a key
        data.setdefault("partnerskap", {})["n" + draw(control_text)] = "x"
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def _get(root, path):
    for part in path:
        root = root[part]
    return root


@settings(max_examples=HOSTILE_EXAMPLES)
@given(source=specs_with_control_characters())
def test_control_characters_anywhere(runner, tmp_path, source):
    result = check_bytes(runner, tmp_path, source.encode("utf-8", "surrogatepass"))
    assert "Internt fel" not in result.output


@pytest.mark.slow
@settings(max_examples=EXAMPLES_COUNT)
@given(source=st.one_of(specs_with_huge_numbers(), specs_with_control_characters()))
def test_hostile_values_check_then_render_long(runner, tmp_path, source):
    check_then_render(runner, tmp_path, source)
