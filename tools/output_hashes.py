"""A manifest of every output iopkit writes, as sha256 per file, to prove that a change
of the code's layout (a module moved, a function split) leaves every byte as it was.

It renders every file in examples/, the canonical example in ../shared/spec/ (when it is
there) and a handful of varied specs generated from the canonical example (several
idéburna parties, a skyddat boende, de minimis, SGEI, delegation, a spec with findings) to
every document and format: `render` (docx, html, md, pdf through Typst, every document),
`uppfoljning`, `diff` (text, md, docx), `rapport`, `kalender`, `oversikt` (xlsx, csv,
html, md, ics), `mallar`, and the standard output of `check`, `regler` and `schema`.
Everything runs with a fixed --datum and SOURCE_DATE_EPOCH, in a temporary directory.

It reads the repository (examples/, tests/), so it lives in tools/ and is not installed.
From the repository's root, with iopkit installed (pip install -e ".[test]"):

Before the change:  python tools/output_hashes.py --write /tmp/before.json
After the change:   python tools/output_hashes.py --compare /tmp/before.json
                    (exit 1 and a list of the files that differ when any byte changed)
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
CANONICAL = ROOT.parent / "shared" / "spec" / "exempel-dagverksamhet.yaml"
DATE = "2026-11-20"
EPOCH = "1795132800"  # 2026-11-20 00:00 UTC

sys.path.insert(0, str(ROOT / "tests"))
RUNS: dict[str, str] = {}


def _generated_specs() -> dict[str, dict[str, Any]]:
    """Varied partnerships, built the way the tests build them (tests/memo_specs.py)."""
    import memo_specs as m

    with_errors = m.canonical()
    with_errors["resurser"][0]["mottagare"] = "finns-inte"  # an unknown party: IOP error
    return {
        "flera-parter": m.multi_party(),
        "skyddat-boende": m.skyddat_boende(),
        "skyddat-boende-lagstadgad": m.skyddat_boende("ja"),
        "de-minimis": m.de_minimis(400_000),
        "sgei": m.sgei(),
        "delegation": m.delegated(posted="2026-12-16"),
        "med-fel": with_errors,
    }


class Runner:
    def __init__(self, work: Path) -> None:
        self.work = work
        self.stdout: dict[str, str] = {}
        self.env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH, TZ="UTC", NO_COLOR="1",
                        COLUMNS="100", LC_ALL="C.UTF-8")

    def __call__(self, label: str, *args: str | Path) -> None:
        """Run `iopkit ARGS`; its exit status, standard output and error are part of the
        manifest too (a message's wording is output)."""
        result = subprocess.run([sys.executable, "-m", "iopkit", *map(str, args)],
                                cwd=self.work, env=self.env, capture_output=True,
                                timeout=900)
        text = (f"exit {result.returncode}\n--stdout\n"
                + result.stdout.decode("utf-8", "replace")
                + "--stderr\n" + result.stderr.decode("utf-8", "replace"))
        self.stdout[label] = RUNS[label] = text.replace(str(self.work), "<WORK>")


def build(work: Path, log: Callable[[str], None]) -> dict[str, str]:
    import yaml

    specs = work / "specs"
    shutil.copytree(EXAMPLES, specs)
    if CANONICAL.is_file():
        shutil.copy(CANONICAL, specs / CANONICAL.name)
    generated = work / "genererade"
    generated.mkdir()
    for name, data in _generated_specs().items():
        (generated / f"{name}.yaml").write_text(
            yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    shutil.copy(ROOT / "tests" / "data" / "alla-nycklar.yaml", generated)
    out = work / "ut"
    for folder in ("diff", "kalender"):
        (out / folder).mkdir(parents=True)
    run = Runner(work)
    all_specs = sorted(specs.glob("*.yaml")) + sorted(generated.glob("*.yaml"))
    valid = [p for p in all_specs if p.stem != "med-fel"]
    documents = "avtal,checklista,tjansteskrivelse,uppfoljning"
    formats = "docx,html,md,pdf"

    log("check")
    for spec in all_specs:
        run(f"check/{spec.name}", "check", "--strict", spec)
    log("render")
    run("render/alla", "render", *valid, "-o", out / "render", "-f", formats,
        "--pdf-motor", "typst", "--datum", DATE, "-d", documents)
    run("render/med-fel", "render", generated / "med-fel.yaml", "-o", out / "render-fel",
        "-f", formats, "--pdf-motor", "typst", "--datum", DATE, "-d", "tjansteskrivelse")
    run("render/standard", "render", specs / "dagverksamhet.yaml", "-o", out / "standard")
    log("uppfoljning")
    for spec in valid:
        run(f"uppfoljning/{spec.name}", "uppfoljning", spec, "-o", out / "uppfoljning",
            "-f", formats, "--pdf-motor", "typst", "--datum", DATE)
    log("diff")
    old, new = specs / "dagverksamhet.yaml", ROOT / "tests" / "data" / "dagverksamhet-v2.yaml"
    pairs = [("v2", old, new), ("flera-parter", old, generated / "flera-parter.yaml"),
             ("skyddat", generated / "skyddat-boende.yaml",
              generated / "skyddat-boende-lagstadgad.yaml")]
    for label, a, b in pairs:
        run(f"diff/{label}/text", "diff", a, b, "--datum", DATE)
        run(f"diff/{label}/md", "diff", a, b, "--format", "md", "--datum", DATE, "-o",
            out / "diff" / f"{label}-tillagg.md")
        run(f"diff/{label}/docx", "diff", a, b, "--format", "docx", "--datum", DATE,
            "--nummer", "2", "--galler-fran", "2027-07-01", "-o",
            out / "diff" / f"{label}-tillagg.docx")
    log("rapport")
    run("rapport", "rapport", specs / "uppfoljning" / "utfall.yaml", "-o", out / "rapport",
        "-f", formats, "--datum", DATE)
    run("rapport/2027", "rapport", specs / "uppfoljning" / "utfall.yaml", "--år", "2027",
        "-o", out / "rapport-2027", "-f", "docx,md", "--datum", DATE)
    log("kalender")
    for spec in valid:
        run(f"kalender/{spec.name}", "kalender", spec, "-o",
            out / "kalender" / f"{spec.stem}.ics", "--datum", DATE)
        run(f"kalender-grupp/{spec.name}", "kalender", spec, "--partnerskapsgrupp", "-o",
            out / "kalender" / f"{spec.stem}-grupp.ics", "--datum", DATE)
    log("oversikt")
    # Relative folders: the register lists each file by the path it was given.
    run("oversikt", "oversikt", specs.name, generated.name, "-o", out / "oversikt",
        "-f", "xlsx,csv,html,md,ics", "--datum", DATE, "--dagar", "400")
    log("mallar, regler, schema")
    run("mallar", "mallar", out / "mallar")
    run("regler", "regler")
    run("schema", "schema")

    manifest = {f"stdout:{label}": hashlib.sha256(text.encode()).hexdigest()
                for label, text in sorted(run.stdout.items())}
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        manifest[path.relative_to(out).as_posix()] = hashlib.sha256(
            path.read_bytes()).hexdigest()
    return manifest


def compare(before: dict[str, str], after: dict[str, str]) -> list[str]:
    lines = []
    for key in sorted(before.keys() | after.keys()):
        if key not in after:
            lines.append(f"saknas nu: {key}")
        elif key not in before:
            lines.append(f"ny: {key}")
        elif before[key] != after[key]:
            lines.append(f"ändrad: {key}")
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", type=Path, help="write the manifest (JSON) here")
    parser.add_argument("--compare", type=Path, help="compare with this manifest")
    parser.add_argument("--keep", type=Path, help="keep the outputs in this new directory")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="iopkit-hashes-") as temp:
        work = Path(temp)
        manifest = build(work, lambda step: print(f"… {step}", file=sys.stderr))
        if args.keep:
            shutil.copytree(work, args.keep)
            (args.keep / "runs.json").write_text(json.dumps(RUNS, indent=1, sort_keys=True,
                                                            ensure_ascii=False))
    outputs = sum(1 for key in manifest if not key.startswith("stdout:"))
    print(f"{len(manifest)} hashes ({outputs} files, {len(manifest) - outputs} runs' output)")
    if args.write:
        args.write.write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n",
                              encoding="utf-8")
    if args.compare:
        before = json.loads(args.compare.read_text(encoding="utf-8"))
        differences = compare(before, manifest)
        if differences:
            print("\n".join(differences))
            print(f"{len(differences)} of {len(before | manifest)} differ")
            return 1
        print(f"identical: all {len(manifest)} hashes match {args.compare}")
    if not args.write and not args.compare:
        json.dump(manifest, sys.stdout, indent=1, sort_keys=True)
        print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
