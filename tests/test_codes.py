"""Every catalogued problem code is triggered by at least one test."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from cases import CASES, WARNING_CASES
from intyg._problems import CATALOGUE
from test_cli_args import REFUSALS
from test_fhir import QR_CASES
from test_load import BROKEN_INPUTS

TESTS = Path(__file__).resolve().parent

# Codes proved by dedicated tests rather than by a case table (test name in the comment).
PROVED_ELSEWHERE = {
    "input_too_large",  # test_load: test_validate_oversized_input_refused_before_parsing
    "file_unreadable",  # test_load: test_validate_missing_file_gives_code
    "folder_unreadable",  # test_cli: test_cli_schema_check_of_a_folder_that_cannot_be_looked_in_*
    "schema_drift",  # test_schema_files: test_schema_check_detects_drift
    "schema_checksum",  # test_schema_files: test_schema_write_refuses_to_change_a_frozen_file
    "schema_missing",  # test_schema_files: test_schema_check_detects_missing_file
    "icd10_list_empty",  # test_cli_args: test_cli_icd10_list_unusable_is_coded_at_the_option
    "stdout_unwritable",  # test_cli_output: test_cli_output_full_stdout_is_coded
    "out_of_memory",  # test_cli_output: test_cli_out_of_memory_is_coded
    "output_no_space",  # test_cli_output: test_cli_output_full_disk_is_said_as_such
    "batch_worker_lost",  # test_pool: test_batch_worker_killed_is_coded_and_leaves_no_file
    "batch_internal_error",  # test_batch: test_batch_a_fault_of_intyg_on_one_line_is_that_*
    "json_too_many_elements",  # test_limits: test_check_shape_accepts_exactly_max_elements
    "too_many_problems",  # test_limits: test_problems_beyond_the_limit_are_counted_not_listed
    "usage_no_command",  # test_cli_args: test_cli_what_is_not_understood_is_said_by_its_command
    "usage_unknown_argument",  # the same
    "usage_invalid_number",  # test_cli_args: test_cli_workers_is_ascii_digits_or_refused
    "usage_unclear",  # test_cli_args: test_argparse_messages_are_coded
    "usage_stdin_twice",  # test_cli_args: test_cli_stdin_for_both_input_and_code_list_is_usage_error
    "usage_output_is_input",  # test_cli_output: test_cli_output_same_file_as_input_is_usage_error
    "usage_output_is_stderr",  # test_cli_output: test_cli_output_named_as_the_redirected_stderr_*
}


def _text_of(paths: list[Path]) -> str:
    return "".join(p.read_text("utf-8") for p in paths)


def test_every_code_has_a_case_or_its_own_module_test() -> None:
    triggered = {code for case in CASES + WARNING_CASES for code, _ in case.expected}
    triggered |= {code for _, (code, _) in QR_CASES}
    triggered |= {code for _, code in BROKEN_INPUTS}
    triggered |= {code for _, code, _ in REFUSALS}  # the command line's refusals
    triggered |= PROVED_ELSEWHERE
    # The assessment and rendering parts prove their own codes in their own test modules.
    others = _text_of(
        [
            *TESTS.glob("test_render*.py"),
            *TESTS.glob("test_assess*.py"),
            *TESTS.rglob("bedomning/*.yaml"),
        ]
    )
    missing = [c for c in CATALOGUE if c not in triggered and f'"{c}"' not in others]
    assert missing == []


def test_every_code_appears_in_some_test() -> None:
    # This module names every code (PROVED_ELSEWHERE) without triggering it, and the Node
    # packages under crosscheck/ are not tests: neither counts.
    text = _text_of(
        [
            p
            for p in TESTS.rglob("*")
            if p.suffix in (".py", ".yaml", ".yml")
            and p.resolve() != Path(__file__).resolve()
            and "node_modules" not in p.relative_to(TESTS).parts
        ]
    )
    # As a whole word: "required" inside "conditional_required" does not count.
    missing = [c for c in CATALOGUE if not re.search(rf"\b{re.escape(c)}\b", text)]
    assert missing == []


_PROVED_LINE = re.compile(r'^\s*"(?P<code>[a-z0-9_]+)",\s*#\s*(?P<where>.+?)\s*$')
_WHERE = re.compile(r"(?P<module>test_[a-z0-9_]+): (?P<test>test_[a-z0-9_]+\*?)")


def _proved_elsewhere_comments() -> dict[str, tuple[str, str]]:
    """Each PROVED_ELSEWHERE code with the (module, test) its comment names; a test name ending
    in ``*`` is a prefix, and "the same" repeats the line above."""
    source = Path(__file__).read_text("utf-8")
    block = source.split("PROVED_ELSEWHERE = {\n", 1)[1].split("\n}\n", 1)[0]
    out: dict[str, tuple[str, str]] = {}
    last: tuple[str, str] | None = None
    for line in block.splitlines():
        found = _PROVED_LINE.match(line)
        assert found, f"not a line of the form '\"code\",  # test_module: test_name': {line!r}"
        where = found["where"]
        if where == "the same":
            assert last is not None, f"{found['code']}: 'the same' with nothing above"
        else:
            named = _WHERE.fullmatch(where)
            assert named, f"{found['code']}: the comment names no test_module: test_name"
            last = (named["module"], named["test"])
        out[found["code"]] = last
    return out


def test_proved_elsewhere_names_a_test_whose_module_uses_the_code() -> None:
    comments = _proved_elsewhere_comments()
    assert set(comments) == PROVED_ELSEWHERE  # one commented line per code
    wrong = []
    for code, (module, test) in sorted(comments.items()):
        path = TESTS / f"{module}.py"
        if not path.is_file():
            wrong.append((code, module, "no such module"))
            continue
        source = path.read_text("utf-8")
        names = {
            node.name
            for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        }
        if test.endswith("*"):
            exists = any(n.startswith(test[:-1]) for n in names)
        else:
            exists = test in names
        if not exists:
            wrong.append((code, module, f"no test {test}"))
        if f'"{code}"' not in source:
            wrong.append((code, module, "the module does not mention the code"))
    assert wrong == []
