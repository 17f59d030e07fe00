"""What README.md says, checked against the tool: the policygen.yaml it shows as this repository's is the real one,
and the commands of "Your first project in five minutes" run as written in a project made by `policygen init`."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
README = (REPO / "README.md").read_text(encoding="utf-8")


def test_the_policygen_yaml_shown_is_this_repositorys():
    shown = README.split("This repository is itself one; its `policygen.yaml`:")[1].split("```yaml\n", 1)[1].split("```")[0]
    assert yaml.safe_load(shown) == yaml.safe_load((REPO / "policygen.yaml").read_text(encoding="utf-8"))


def test_no_statement_the_issue_found_wrong_is_back():
    assert "on the way" not in README
    assert "nothing else" not in README
    assert "libpango-1.0-0" in README
    for named in re.findall(r"tests/[a-z_]+\.py", README):
        assert (REPO / named).is_file(), f"README names {named}, which does not exist"


def test_the_five_minute_commands_run_as_written(tmp_path):
    section = README.split("## Your first project in five minutes")[1].split("\n## ")[0]
    commands = [line.split("  #")[0].strip() for block in re.findall(r"```sh\n(.+?)\n```", section, re.S)
                for line in block.splitlines() if line.startswith("policygen ")]
    assert commands[0] == "policygen init my-policies"
    env = {k: v for k, v in os.environ.items() if k != "POLICYGEN_DEBUG"}
    ran = []
    for command in commands:
        words = shlex.split(command)
        if words[1] == "serve":  # runs until stopped: tests/test_serve.py covers it
            continue
        cwd = tmp_path if words[1] == "init" else tmp_path / "my-policies"
        result = subprocess.run([sys.executable, "-m", "policygen", *words[1:]], cwd=cwd, capture_output=True,
                                text=True, env=env, timeout=300)
        assert result.returncode == 0, (command, result.stdout, result.stderr)
        ran.append(words[1])
    assert {"init", "build", "decide", "due", "test", "new", "explain"} <= set(ran)
    assert (tmp_path / "my-policies/output/regulations/service-regulation.pdf").is_file()
    assert (tmp_path / "my-policies/policies/leave-policy.yaml").is_file()
