"""The README stays true: its keys table is what the bindings say, its commands are the CI's."""

from __future__ import annotations

from tests.conftest import ROOT


def test_readme_keys_table_is_generated_from_the_bindings():
    from docs.keys import readme_with_table

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme_with_table(text) == text, "run: python -m docs.keys --write"


def test_readme_first_two_commands_run_the_samples_and_the_tests():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    run = text.split("<!-- run-command -->")[1].split("<!-- /run-command -->")[0]
    test = text.split("<!-- test-command -->")[1].split("<!-- /test-command -->")[0]
    assert text.index("<!-- run-command -->") < text.index("<!-- test-command -->")
    assert "pip install ." in run and "bladi-tui --offline" in run
    assert "pip install '.[test]'" in test and "python -m pytest" in test
    ci = (ROOT / ".ci" / "run").read_text()
    assert "test-command" in ci  # CI runs exactly the README's test command
