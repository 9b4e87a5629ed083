"""Load a policy file: YAML → schema → cross-reference lint, every problem located by line."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from opeka.policy.errors import PolicyFileError, Problem
from opeka.policy.lint import cross_reference_problems
from opeka.policy.schema import Policy
from opeka.policy.yaml_lines import YamlSyntaxError, line_of, parse_with_lines

DEFAULT_POLICY_PATH = Path(__file__).resolve().parents[3] / "policies" / "km-assistance.yaml"


def check_policy_text(text: str, *, filename: str) -> tuple[Policy | None, list[Problem]]:
    """Validate a policy's text; return the policy (if its shape is valid) and all problems."""
    try:
        data, lines = parse_with_lines(text)
    except YamlSyntaxError as exc:
        return None, [Problem(filename, exc.line, "", f"YAML syntax: {exc}")]
    if not isinstance(data, dict):
        return None, [Problem(filename, 1, "", "the file must be a mapping of policy sections")]
    try:
        policy = Policy.model_validate(data)
    except ValidationError as exc:
        return None, [_problem_from_error(filename, lines, err) for err in exc.errors()]
    return policy, cross_reference_problems(policy, lines=lines, filename=filename)


def check_policy_file(path: Path) -> tuple[Policy | None, list[Problem]]:
    """Validate a policy file; an unreadable file is one problem at line 1."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "not UTF-8 text"
        return None, [Problem(str(path), 1, "", f"cannot read the file: {reason}")]
    return check_policy_text(text, filename=str(path))


def load_policy(path: Path | None = None) -> Policy:
    """Load and fully validate a policy; raise :class:`PolicyFileError` listing every problem."""
    policy, problems = check_policy_file(path or DEFAULT_POLICY_PATH)
    if problems or policy is None:
        raise PolicyFileError(problems)
    return policy


def _problem_from_error(
    filename: str, lines: dict[tuple[str | int, ...], int], err: object
) -> Problem:
    assert isinstance(err, dict)
    loc = tuple(p for p in err.get("loc", ()) if isinstance(p, str | int))
    message = str(err.get("msg", "invalid value"))
    if err.get("type") == "extra_forbidden":
        message = "unknown key (check its spelling or remove it)"
    elif err.get("type") == "missing":
        message = "this key is required"
    return Problem(filename, line_of(lines, loc), ".".join(str(p) for p in loc), message)
