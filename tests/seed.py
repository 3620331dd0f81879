"""Read the inspectorate's framework seed (../shared/seeds/) for comparison with the data."""

import re

from tests.conftest import FRAMEWORK_SEED

# A code at the start of a seed line: "I 6.1", "I 18", "A1", "A 3 S", "P1 .1", "V 4,1", "R 2 S".
SEED_CODE = re.compile(r"^\s?([IAPDVR]) ?(\d{1,2})(?: ?[.,] ?(\d{1,2}))?( ?S)?(?=\s|$)")


def squash(text: str) -> str:
    """Return `text` without whitespace: the seed is a table wrapped at its column widths."""
    return re.sub(r"\s+", "", text)


def seed_lines() -> list[str]:
    assert FRAMEWORK_SEED.exists(), f"the seed is missing: {FRAMEWORK_SEED}"
    return FRAMEWORK_SEED.read_text(encoding="utf-8").splitlines()


def seed_blocks(lines: list[str]) -> list[tuple[str, str]]:
    """Return (normalised code, squashed text from its line to the next code line), in order."""
    blocks, code, text = [], "", []
    for line in lines:
        match = SEED_CODE.match(line)
        # P2.2's question text wraps onto a line starting "A2.3 as most important?": not a code.
        if match and not line.strip().startswith("A2.3 as"):
            blocks.append((code, squash(" ".join(text))))
            letter, major, minor, summary = match.groups()
            code = f"{letter}{major}" + (f".{minor}" if minor else "") + ("S" if summary else "")
            text = [line[match.end() :]]
        else:
            text.append(line)
    blocks.append((code, squash(" ".join(text))))
    return blocks


def seed_codes() -> set[str]:
    """Return every code printed in the seed (key questions, questions, summary judgements)."""
    return {code for code, _ in seed_blocks(seed_lines()) if code}
