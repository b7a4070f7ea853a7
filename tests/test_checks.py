"""make test's first stage (scripts/test.d/05-checks.sh) fails the run on a lint, format,
contract or type finding: each tool, with the project's own configuration, reports a planted
finding, and the stage turns any tool's complaint into a failed run and a failed count."""

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

from mypy.config_parser import parse_config_file
from mypy.options import Options

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = ROOT / "pyproject.toml"
TOOLS = Path(sys.executable).parent
STAGE = ROOT / "scripts" / "test.d" / "05-checks.sh"
# Every app the contracts name, read from them, so a new app never leaves this test behind.
APPS = tomllib.loads(PYPROJECT.read_text())["tool"]["importlinter"]["root_packages"]


def ruff(*args, source):
    command = [TOOLS / "ruff", *args, "--config", PYPROJECT, "--stdin-filename", "x.py", "-"]
    return subprocess.run(command, input=source, capture_output=True, text=True, check=False)


def test_ruff_reports_an_unused_import_and_a_shell_command():
    done = ruff(
        "check",
        "--no-fix",
        source="import os\nimport subprocess\n\nsubprocess.call('ls', shell=True)\n",
    )
    assert done.returncode == 1
    assert "F401" in done.stdout and "S602" in done.stdout


def test_ruff_format_reports_an_unformatted_file():
    assert ruff("format", "--check", source="x = {  'a':1 }\n").returncode == 1


def lint_imports_on_empty_apps(folder, upward_import=""):
    """The project's contracts over stand-in apps, with one import planted in files."""
    for app in APPS:
        (folder / app).mkdir(parents=True)
        (folder / app / "__init__.py").write_text("")
    (folder / "consent" / "gate.py").write_text("")
    (folder / "files" / "naming.py").write_text(upward_import)
    return subprocess.run(
        [TOOLS / "lint-imports", "--no-logo", "--no-cache", "--config", PYPROJECT],
        cwd=folder,
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_contracts_refuse_an_app_importing_one_above_it(tmp_path):
    assert lint_imports_on_empty_apps(tmp_path / "clean").returncode == 0
    done = lint_imports_on_empty_apps(tmp_path / "broken", upward_import="import archive\n")
    assert done.returncode == 1
    assert "files is not allowed to import archive" in done.stdout


def mypy_options(module):
    options = Options()
    parse_config_file(options, lambda: None, str(PYPROJECT), stderr=subprocess.DEVNULL)
    return options.clone_for_module(module)


def test_mypy_is_strict_on_the_listed_modules_only():
    strict, other = mypy_options("files.serving"), mypy_options("archive.views")
    assert not strict.ignore_errors and strict.disallow_untyped_defs
    assert strict.disallow_untyped_calls and strict.disallow_any_generics
    assert other.ignore_errors


def test_the_stage_fails_on_any_tools_finding_and_counts_it(tmp_path):
    """The stage itself, with stand-in tools: only mypy complains."""
    stage = tmp_path / "scripts" / "test.d" / STAGE.name
    stage.parent.mkdir(parents=True)
    shutil.copy(STAGE, stage)
    bin_dir = tmp_path / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    for tool in ["ruff", "lint-imports", "mypy", "python"]:
        (bin_dir / tool).write_text(f"#!/bin/sh\necho {tool} said\nexit {int(tool == 'mypy')}\n")
        (bin_dir / tool).chmod(0o755)
    done = subprocess.run(["bash", stage], capture_output=True, text=True, check=False)
    assert done.returncode == 1
    assert "mypy said" in done.stdout and "ruff said" not in done.stdout
    assert (tmp_path / "var" / "test-counts").read_text() == "Checks 4 1\n"
