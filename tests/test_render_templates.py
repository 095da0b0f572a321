"""Templates: spec text is never markup in any format, user templates override by name,
template errors are located in Swedish, and the sandbox holds."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import CANONICAL, dump, load_canonical_data, run
from render_helpers import (
    docx_headings,
    docx_paragraphs,
    docx_text,
    html_text,
    markdown_text,
    norm,
)

DATE = "2026-05-04"
SPECIAL = "* _ # | < > [ ] & ` ~ \\"


# ----------------------------------------------------------------------------------
# Escaping


HOSTILE = {
    "namn": "Barn *&* unga_2027 #1 | <b>fet</b> [länk](http://x.se) &amp; ~~streck~~",
    "bakgrund": ("# Inte en rubrik\n- inte en lista\n1. inte numrerad\n> inget citat\n\n"
                 "| a | b |\n|---|---|\n\n**inte fet** _inte kursiv_ `ingen kod` "
                 "<script>alert(1)</script> &lt; &#65; \\ slut"),
    "part": "Förening [Vinternatt] & Co <AB> | *stjärna*",
    "behov": "Behov med | pipe, *stjärna* och <tagg>",
    "insats": "Insats | med pipe och [hakar] & _understreck_",
    "målvärde": "> 400 * 2",
    "villkor_rubrik": "Villkor #1 *viktigt* | <em>",
    "villkor_text": "Text med _understreck_, | pipe och &amp;\n\n2. inte en lista",
    "bilaga": "Bilaga [1] <budget> & *plan*",
}


@pytest.fixture(scope="module")
def hostile_outputs(tmp_path_factory) -> Path:
    from typer.testing import CliRunner

    data = load_canonical_data()
    data["partnerskap"]["namn"] = HOSTILE["namn"]
    data["partnerskap"]["bakgrund"] = HOSTILE["bakgrund"]
    data["parter"][1]["namn"] = HOSTILE["part"]
    data["behovsinventering"]["behov"][0]["beskrivning"] = HOSTILE["behov"]
    data["insatser"][0]["beskrivning"] = HOSTILE["insats"]
    data["mål"][0]["indikatorer"][0]["målvärde"] = HOSTILE["målvärde"]
    data["villkor"] = [{"rubrik": HOSTILE["villkor_rubrik"], "text": HOSTILE["villkor_text"]}]
    data["bilagor"] = [HOSTILE["bilaga"]]
    out = tmp_path_factory.mktemp("fientlig")
    spec = out / "fientlig.yaml"
    spec.write_text(dump(data), encoding="utf-8")
    result = run(CliRunner(), "render", spec, "-f", "docx,md,html", "--datum", DATE)
    assert result.exit_code == 0, result.output
    return out


@pytest.mark.parametrize("key", sorted(HOSTILE))
def test_spec_text_appears_exactly_as_typed_in_every_format(hostile_outputs, key):
    expected = norm(HOSTILE[key])
    docx_file = hostile_outputs / "fientlig-avtal.docx"
    assert expected in norm(docx_text(docx_file)), "docx"
    page = (hostile_outputs / "fientlig-avtal.html").read_text(encoding="utf-8")
    assert expected in norm(html_text(page)), "html"
    markdown = (hostile_outputs / "fientlig-avtal.md").read_text(encoding="utf-8")
    assert expected in norm(markdown_text(markdown)), "md"


def test_spec_text_never_becomes_structure(hostile_outputs):
    document, paragraphs = docx_paragraphs(hostile_outputs / "fientlig-avtal.docx")
    headings = [p.text for p in paragraphs if p.style.name.startswith("Heading")]
    assert not any("Inte en rubrik" in h for h in headings)
    assert not any(p.text.startswith(("inte en lista", "inte numrerad", "inget citat"))
                   for p in paragraphs)
    # The only tables are iopkit's own (activities, resources; and the signature
    # blocks side by side, one table without a style per party).
    assert len([t for t in document.tables if t.style.name == "Table Grid"]) == 2
    assert len(document.tables) == 2 + len(load_canonical_data()["parter"])
    page = (hostile_outputs / "fientlig-avtal.html").read_text(encoding="utf-8")
    body = page.split("<body>", 1)[1]
    for markup in ("<script>", "<b>", "<tagg>", "<a ", "<code>", "<s>", "<del>",
                   "<blockquote>"):
        assert markup not in body, markup
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "| &lt;em&gt;</h2>" in body  # the heading's own text, not emphasis


def test_bold_in_the_template_still_works_next_to_escaped_text(hostile_outputs):
    _, paragraphs = docx_paragraphs(hostile_outputs / "fientlig-avtal.docx")
    need = next(p for p in paragraphs if "Behov med | pipe" in p.text)
    assert need.runs[0].text == "B1" and need.runs[0].bold
    assert not any(r.bold for r in need.runs[1:])


def test_checklist_escapes_too(hostile_outputs):
    text = norm(docx_text(hostile_outputs / "fientlig-checklista.docx"))
    assert norm(HOSTILE["namn"]) in text


def test_xml_forbidden_characters_in_a_spec(runner, write_spec, tmp_path):
    data = load_canonical_data()
    spec_text = dump(data).replace("namn: Föreningen Vinternatt",
                                   'namn: "Föreningen\\x01 Vinter\\x1fnatt"', 1)
    spec = write_spec(spec_text, "kontroll.yaml")
    result = run(runner, "render", spec, "-f", "docx,html", "--datum", DATE)
    assert result.exit_code == 0, result.output
    assert "Föreningen Vinternatt" in docx_text(tmp_path / "kontroll-avtal.docx")
    assert "\x01" not in (tmp_path / "kontroll-avtal.html").read_text(encoding="utf-8")


TEXT = st.lists(st.sampled_from(list("ab åÄ1209.)-+=*_#|<>[]&;`~\\!:\n ") +
                                ["&amp;", "&#65;", "\n\n", "    ", "---", "1. "]),
                max_size=30).map("".join)


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_escaped_text_reads_back_unchanged(text):
    from iopkit.writers.markdown import escape, escape_inline

    value = text.strip()
    assert norm(markdown_text(escape(value))) == norm(value)
    assert norm(markdown_text("- " + escape_inline(value))) == norm(value)
    cell = "| x |\n|---|\n| " + escape_inline(value) + " |\n"
    assert norm(markdown_text(cell)) == norm("x " + value)


def test_formatting_helpers():
    from iopkit.format import datum_lang, kronor, lista, manader, tal

    assert kronor(2400000) == "2\u00a0400\u00a0000\u00a0kr"
    assert kronor(0) == "0\u00a0kr"
    assert tal(3000) == "3\u00a0000"
    assert datum_lang(dt.date(2027, 1, 1)) == "den 1 januari 2027"
    assert datum_lang(dt.date(2029, 12, 31)) == "den 31 december 2029"
    assert lista(["a", "b", "c"]) == "a, b och c"
    assert lista(["a"]) == "a"
    assert manader(1) == "1\u00a0månad" and manader(6) == "6\u00a0månader"


# ----------------------------------------------------------------------------------
# --mallar


@pytest.fixture
def canonical(tmp_path) -> Path:
    path = tmp_path / "dagverksamhet.yaml"
    path.write_text(CANONICAL.read_text(encoding="utf-8"), encoding="utf-8")
    return path


def _templates(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "mallar"
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def test_user_template_overrides_a_section_by_name(runner, canonical, tmp_path):
    templates = _templates(tmp_path, {"avtal/03-bakgrund.md.j2": (
        "## {{ paragraf() }} Vår bakgrund\n\n{{ partnerskap.bakgrund }}\n\n"
        "Med vår egen formulering.\n")})
    result = run(runner, "render", canonical, "--mallar", templates, "--datum", DATE)
    assert result.exit_code == 0, result.output
    texts = docx_text(canonical.with_name("dagverksamhet-avtal.docx")).split("\n")
    assert "§\u00a02 Vår bakgrund" in texts
    assert "Med vår egen formulering." in texts
    assert not any("bygger på principerna" in t for t in texts)
    assert "§\u00a03 Gemensam behovsinventering" in texts  # the rest is built in


def test_user_template_can_add_a_section(runner, canonical, tmp_path):
    templates = _templates(tmp_path, {"avtal/17a-insyn.md.j2": (
        "## {{ paragraf() }} Särskild insyn\n\nEn egen paragraf.\n")})
    result = run(runner, "render", canonical, "--mallar", templates, "--datum", DATE)
    assert result.exit_code == 0, result.output
    headings = docx_headings(canonical.with_name("dagverksamhet-avtal.docx"))
    index = headings.index("§\u00a016 Särskild insyn")
    assert headings[index - 1] == "§\u00a015 Avtalstid, förlängning och uppsägning"
    assert headings[index + 1] == "§\u00a017 Ändringar och tillägg"
    # The clauses that refer to § Ändringar follow the new number, earlier ones too.
    text = docx_text(canonical.with_name("dagverksamhet-avtal.docx"))
    assert "görs enligt §\u00a017" in text and "görs enligt §\u00a016" not in text


def test_template_files_that_are_not_used_are_pointed_out(runner, canonical, tmp_path):
    templates = _templates(tmp_path, {"03-bakgrund.md.j2": "fel ställe\n"})
    result = run(runner, "render", canonical, "--mallar", templates, "--datum", DATE)
    assert result.exit_code == 0, result.output
    assert "03-bakgrund.md.j2 används inte" in result.stderr
    assert "avtal" in result.stderr


def test_missing_template_directory_is_exit_2(runner, canonical, tmp_path):
    result = run(runner, "render", canonical, "--mallar", tmp_path / "finns-inte")
    assert result.exit_code == 2
    assert "Mallkatalogen" in result.stderr


@pytest.mark.parametrize("text,line,words", [
    ("## Bakgrund\n\n{% if partnerskap.namn %}\nText\n", 4, ["tar slut", "endif"]),
    ("## Bakgrund\n\nText\n{{ partnerskap.nman }}\n", 4, ["`nman` finns inte"]),
    ("## Bakgrund\n\n{{ okänt_namn }}\n", 3, ["`okänt_namn` finns inte"]),
    ("## Bakgrund\n\n{{ partnerskap.namn|versaler }}\n", 3, ["filtret `versaler` finns inte"]),
    ("{% foo %}\n", 1, ["okänd tagg `foo`"]),
    ("## A\n{{ partnerskap.namn|kronor }}\n", 2, ["kronor", "behöver ett tal"]),
])
def test_broken_user_template_names_file_and_line_in_swedish(runner, canonical, tmp_path,
                                                             text, line, words):
    templates = _templates(tmp_path, {"avtal/03-bakgrund.md.j2": text})
    result = run(runner, "render", canonical, "--mallar", templates)
    assert result.exit_code == 1
    path = templates / "avtal" / "03-bakgrund.md.j2"
    assert f"Fel: Fel i mallen {path}, rad {line}:" in result.stderr
    for word in words:
        assert word in result.stderr
    assert "Traceback" not in result.output
    assert not canonical.with_name("dagverksamhet-avtal.docx").exists()
    assert not canonical.with_name("dagverksamhet-checklista.docx").exists()


@pytest.mark.parametrize("attack", [
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ cycler.__init__.__globals__.os }}",
    "{{ lipsum.__globals__['os'].system('echo hej') }}",
    "{{ parter.append(1) }}",
    "{{ partnerskap.update({'namn': 'x'}) }}",
    "{{ paragraf.__globals__ }}",
    "{{ utkast_datum.__class__.__subclasses__() }}",
    "{% include '/etc/passwd' %}",
    "{% include '../../../../../../etc/passwd' %}",
    "{% import 'os' as os %}{{ os.system('echo hej') }}",
    "{% extends '/etc/hostname' %}",
])
def test_sandbox_escape_attempts_fail(runner, canonical, tmp_path, attack):
    templates = _templates(tmp_path, {"avtal/03-bakgrund.md.j2": f"## Bakgrund\n\n{attack}\n"})
    result = run(runner, "render", canonical, "--mallar", templates, "-f", "md")
    assert result.exit_code == 1, result.output
    assert "Fel i mallen" in result.stderr
    assert "rad 3" in result.stderr
    assert "root:" not in result.output
    assert not canonical.with_name("dagverksamhet-avtal.md").exists()


def test_builtin_template_errors_are_named_as_builtin(tmp_path):
    from iopkit.render.templates import TemplateProblem, make_environment, render_templates

    env = make_environment(None)
    with pytest.raises(TemplateProblem) as problem:
        render_templates(env, ["avtal/02-parter.md.j2"], {"parter": []})
    assert str(problem.value).startswith("Fel i den inbyggda mallen avtal/02-parter.md.j2, rad")


def test_builtin_templates_keep_the_names_users_know():
    """The built-in templates live in iopkit/documents/<kind>/templates/, but are named
    <kind>/<file> as in a --mallar directory and in what `iopkit mallar` exports."""
    from iopkit.render.templates import make_environment, section_names

    env = make_environment(None)
    names = section_names(env, "avtal")
    assert names[0] == "avtal/01-titel.md.j2" and names[-1] == "avtal/23-bilagor.md.j2"
    assert "avtal/_sgei-uppdrag.md.j2" in env.loader.list_templates()
    assert all(name.count("/") == 1 for name in env.loader.list_templates())
    source = env.loader.get_source(env, "avtal/01-titel.md.j2")[1]
    assert Path(source).parts[-4:] == ("documents", "avtal", "templates", "01-titel.md.j2")


@pytest.mark.parametrize("name", ["avtal/../../errors.py", "/etc/passwd",
                                  "avtal/../base.py"])
def test_builtin_loader_refuses_paths_out_of_its_folders(name):
    from iopkit.render.sandbox import TemplateRefused
    from iopkit.render.templates import make_environment

    with pytest.raises(TemplateRefused) as refused:
        make_environment(None).get_template(name)
    assert refused.value.name == name


@pytest.mark.parametrize("name", ["templates/01-titel.md.j2", "avtal", "kinds.py",
                                  "avtal/templates/01-titel.md.j2", "_word/grund.docx"])
def test_builtin_loader_finds_only_kind_and_file(name):
    from jinja2 import TemplateNotFound

    from iopkit.render.templates import make_environment

    with pytest.raises(TemplateNotFound):
        make_environment(None).get_template(name)


# ----------------------------------------------------------------------------------
# The environment as a library (reused by other commands)


def test_environment_is_cached_and_renders_other_folders(tmp_path):
    from iopkit.render.templates import make_environment, render_folder, section_names

    assert make_environment(None) is make_environment(None)
    templates = _templates(tmp_path, {
        "egen/01-a.md.j2": "# {{ namn }}\n\n{{ belopp|kronor }} {{ dag|datum }}\n",
        "egen/02-b.md.j2": "{{ kryss(true) }} {{ namn|enrad }}\n",
        "egen/_hjalp.md.j2": "inte ett avsnitt\n",
    })
    env = make_environment(templates)
    assert env is make_environment(templates)
    assert section_names(env, "egen") == ["egen/01-a.md.j2", "egen/02-b.md.j2"]
    markdown = render_folder(env, "egen", {"namn": "A*B", "belopp": 1500,
                                           "dag": dt.date(2027, 3, 1)})
    assert markdown == ("# A\\*B\n\n1\u00a0500\u00a0kr den 1 mars 2027\n\n☒ A\\*B\n")


def test_undefined_is_an_error_not_empty_text(tmp_path):
    from iopkit.render.templates import TemplateProblem, make_environment, render_folder

    templates = _templates(tmp_path, {"egen/01.md.j2": "Hej {{ saknas }}!\n"})
    with pytest.raises(TemplateProblem, match="`saknas` finns inte"):
        render_folder(make_environment(templates), "egen", {})
