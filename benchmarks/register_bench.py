"""How long `iopkit oversikt` takes for a kommun's whole folder: N generated specs (the
canonical example with its name, case number, organisation and amount varied), the
whole process from reading the folder to the written workbook, median of a few runs.

    python benchmarks/register_bench.py [N ...]
"""

from __future__ import annotations

import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ORG_NUMBERS = ["802461-3575", "802476-5300", "802459-8727", "802488-1297", "802547-3185",
               "802512-6635"]


def generate(folder: Path, count: int) -> None:
    base = yaml.safe_load((ROOT / "examples" / "dagverksamhet.yaml").read_text(encoding="utf-8"))
    for n in range(count):
        data = yaml.safe_load(yaml.safe_dump(base, allow_unicode=True))
        data["partnerskap"]["namn"] = f"Partnerskap {n}"
        data["partnerskap"]["diarienummer"] = f"SN 2026/{n:04d}"
        data["parter"][1]["organisationsnummer"] = ORG_NUMBERS[n % len(ORG_NUMBERS)]
        data["resurser"][0]["belopp_per_år"] = 100000 + 1000 * (n % 50)
        data["rättslig_bedömning"]["statsstöd_grund"] = "stöd av mindre betydelse"
        sub = folder / f"{n // 100:02d}"
        sub.mkdir(exist_ok=True)
        (sub / f"avtal-{n:04d}.yaml").write_text(
            yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def main(sizes: list[int]) -> None:
    from iopkit.register.outputs import write_register

    print("specar  median s  s per 1000")
    for size in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / "avtal"
            folder.mkdir()
            generate(folder, size)
            times = []
            for run in range(3):
                start = time.perf_counter()
                write_register([folder], Path(tmp) / f"ut{run}", ["xlsx", "csv"],
                               dt.date(2027, 8, 1))
                times.append(time.perf_counter() - start)
            median = statistics.median(times)
            print(f"{size:6d}  {median:8.2f}  {median / size * 1000:10.2f}")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [100, 300, 1000])
