"""`wijzer users create/list` against a real SQLite catalog."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from wijzer.cli import main


def _run(runner: CliRunner, data_dir: Path, *args: str, stdin: str | None = None):  # type: ignore[no-untyped-def]
    return runner.invoke(main, ["--data-dir", str(data_dir), *args], input=stdin)


def test_create_and_list_users(runner: CliRunner, data_dir: Path) -> None:
    made = _run(
        runner,
        data_dir,
        "users",
        "create",
        "Demo@Wijzer.nl",
        "--role",
        "admin",
        "--password-stdin",
        stdin="molen-Gracht-2026\n",
    )
    assert made.exit_code == 0, made.output
    assert "demo@wijzer.nl" in made.output
    listed = _run(runner, data_dir, "users", "list", "--format", "json")
    assert listed.exit_code == 0
    users = json.loads(listed.output)
    assert [(u["email"], u["role"]) for u in users] == [("demo@wijzer.nl", "admin")]
    assert "password" not in json.dumps(users)


def test_refuses_weak_password_and_duplicates(runner: CliRunner, data_dir: Path) -> None:
    empty = _run(
        runner,
        data_dir,
        "users",
        "create",
        "a@wijzer.nl",
        "--role",
        "curator",
        "--password-stdin",
        stdin="\n",
    )
    assert empty.exit_code == 2
    assert "password" in empty.output and "empty" in empty.output
    weak = _run(
        runner,
        data_dir,
        "users",
        "create",
        "a@wijzer.nl",
        "--role",
        "curator",
        "--password-stdin",
        stdin="aaaaaaaaaaaa\n",
    )
    assert weak.exit_code == 2 and "password" in weak.output
    ok = _run(
        runner,
        data_dir,
        "users",
        "create",
        "a@wijzer.nl",
        "--role",
        "curator",
        "--password-stdin",
        stdin="Zonnebloem-77!\n",
    )
    assert ok.exit_code == 0
    again = _run(
        runner,
        data_dir,
        "users",
        "create",
        "a@wijzer.nl",
        "--role",
        "admin",
        "--password-stdin",
        stdin="Zonnebloem-77!\n",
    )
    assert again.exit_code == 2
    assert "already exists" in again.output
    listed = json.loads(_run(runner, data_dir, "users", "list", "--format", "json").output)
    assert [u["role"] for u in listed] == ["curator"]


def test_exist_ok_makes_the_demo_account_repeatable(runner: CliRunner, data_dir: Path) -> None:
    args = (
        "users",
        "create",
        "demo@wijzer.nl",
        "--role",
        "admin",
        "--password-stdin",
        "--exist-ok",
    )
    first = _run(runner, data_dir, *args, stdin="wijzer-demo-2026\n")
    second = _run(runner, data_dir, *args, stdin="wijzer-demo-2026\n")
    assert (first.exit_code, second.exit_code) == (0, 0)
    assert "exists already" in second.output
    assert len(json.loads(_run(runner, data_dir, "users", "list", "--format", "json").output)) == 1
