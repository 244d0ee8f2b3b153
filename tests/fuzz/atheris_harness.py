"""Coverage-guided fuzzing of the core with atheris (`make fuzz`; CI runs a short pass).

Each input picks one of the invariant checks in tests/fuzz/checks.py and feeds it text. A
failure is saved as a JSON regression case in tests/fuzz/regressions/ (replayed by every test
run) before atheris reports it.

    python -m tests.fuzz.atheris_harness -runs=100000
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Any

import atheris

with atheris.instrument_imports(include=["app"]):
    from tests.fuzz import checks

REGRESSIONS = Path(__file__).parent / "regressions"
FIELDS = ("name", "title", "link", "venue", "summary")


def _case(data: bytes) -> tuple[str, list[Any]]:
    fdp = atheris.FuzzedDataProvider(data)
    which = fdp.ConsumeIntInRange(0, 3)
    if which == 0:
        return "check_issue_body", [fdp.ConsumeUnicodeNoSurrogates(2048)]
    if which == 1:
        return "check_header_line", [fdp.ConsumeUnicodeNoSurrogates(512)]
    fields = {k: fdp.ConsumeUnicodeNoSurrogates(96) for k in FIELDS}
    if fdp.ConsumeBool():
        fields["link"] = "https://arxiv.org/abs/" + fields["link"]
    if which == 2:
        return "check_submission", [fields]
    readme = f"> {checks.DEFAULT_MARKER}\n" + fdp.ConsumeUnicodeNoSurrogates(1024)
    return "check_insert", [readme, fields]


def one_input(data: bytes) -> None:
    name, args = _case(data)
    try:
        getattr(checks, name)(*args)
    except Exception:
        digest = hashlib.sha256(data).hexdigest()[:12]
        case = {"found_by": "atheris", "check": name, "args": args}
        REGRESSIONS.mkdir(exist_ok=True)
        (REGRESSIONS / f"atheris-{digest}.json").write_text(
            json.dumps(case, ensure_ascii=False, indent=1), encoding="utf-8"
        )
        raise


if __name__ == "__main__":
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()
