"""`almanac assess` as a user runs it: from an answers file, and interactively on a terminal."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import PROJECT_ROOT

ALMANAC = [sys.executable, "-m", "assistant.cli", "assess"]


def run(args: list[str], data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ALMANAC_DATA_DIR": str(data_dir)}
    return subprocess.run(
        ALMANAC + args, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=300
    )


def test_answers_file_to_plan_and_csv(tmp_path: Path) -> None:
    answers = tmp_path / "answers.json"
    answers.write_text(
        json.dumps(
            {
                "answers": {
                    "data": {
                        "data-sharing": "starting",
                        "data-addresses": "starting",
                        "data-open": "developing",
                    },
                    "value": {"value-benefits": "established", "value-contracts": "established"},
                },
                "weights": {"data": "high"},
            }
        )
    )
    plan = tmp_path / "out" / "plan.md"
    result = run(["--answers", str(answers), "--council-type", "county", "--out", str(plan)], tmp_path)
    assert result.returncode == 0, result.stderr
    text = plan.read_text()
    assert "Council type: county" in text and "### 1. Data: from Starting to Developing" in text
    assert "| Data | Starting | 3 of 6 | high |" in text and "1. " in text and "[2]" in text
    only_value = run(
        ["--answers", str(answers), "--outcome", "value", "--out", str(tmp_path / "v.csv")], tmp_path
    )
    assert only_value.returncode == 0, only_value.stderr
    rows = (tmp_path / "v.csv").read_text().splitlines()
    assert rows[0].startswith("outcome,outcome_name,outcome_level") and len(rows) == 3
    printed = run(["--answers", str(answers), "--outcome", "data"], tmp_path)
    assert "## Where to focus first" in printed.stdout and "Value |" in printed.stdout


def test_bad_input_says_what_and_where(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"answers": {"data": {"data-sharing": "great"}}}))
    result = run(["--answers", str(bad)], tmp_path)
    assert result.returncode == 2
    assert f"{bad}: answers.data.data-sharing: is not an option; choose one of starting" in result.stderr
    bad.write_text("{not json")
    assert "is not valid JSON" in run(["--answers", str(bad)], tmp_path).stderr
    assert "--outcome 'dta' is not an outcome" in run(["--outcome", "dta"], tmp_path).stderr
    no_tty = subprocess.run(
        ALMANAC,
        cwd=PROJECT_ROOT,
        input="",
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "ALMANAC_DATA_DIR": str(tmp_path)},
    )
    assert no_tty.returncode == 2 and "give --answers FILE.json" in no_tty.stderr


def test_interactive_on_a_terminal(tmp_path: Path) -> None:
    leader, follower = pty.openpty()
    env = {**os.environ, "ALMANAC_DATA_DIR": str(tmp_path), "COLUMNS": "200"}
    process = subprocess.Popen(
        [*ALMANAC, "--outcome", "partnership", "--out", str(tmp_path / "plan.md")],
        cwd=PROJECT_ROOT,
        env=env,
        stdin=follower,
        stdout=follower,
        stderr=follower,
    )
    os.close(follower)
    # Five statements: 1, 1, 2, s (skip), 1; then weight h.
    output = b""
    for reply in (b"1\n", b"1\n", b"2\n", b"s\n", b"1\n", b"h\n"):
        deadline = time.time() + 120
        while b"Your answer" not in output.split(b"\n")[-1] and b"matter" not in output.split(b"\n")[-1]:
            if time.time() > deadline:
                raise AssertionError(output.decode(errors="replace")[-2000:])
            output += os.read(leader, 4096)
        os.write(leader, reply)
        output = b""
    assert process.wait(timeout=120) == 0
    os.close(leader)
    text = (tmp_path / "plan.md").read_text()
    assert "| Partnership | Starting | 4 of 5 | high |" in text
    assert "### 1. Partnership: from Starting to Developing" in text
