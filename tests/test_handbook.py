"""The operator's guide exists in Japanese and English, README links it, and its links resolve."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import REPO

GUIDES = [REPO / "handbook" / "guide.ja.md", REPO / "handbook" / "guide.en.md"]
LINK = re.compile(r"\]\(([^)#\s]+)")


def test_the_readme_links_both_guides() -> None:
    links = LINK.findall((REPO / "README.md").read_text("utf-8"))
    assert {"handbook/guide.ja.md", "handbook/guide.en.md"} <= set(links)


@pytest.mark.parametrize("guide", GUIDES, ids=lambda path: path.name)
def test_every_local_link_of_a_guide_resolves(guide: Path) -> None:
    links = [link for link in LINK.findall(guide.read_text("utf-8")) if "://" not in link]
    assert links, guide
    for link in links:
        assert (guide.parent / link).exists(), (guide.name, link)


def test_the_two_guides_have_the_same_sections() -> None:
    """One guide in two languages: the same numbered sections, in the same order."""
    numbers = [re.findall(r"^## (\d+)\.", guide.read_text("utf-8"), re.MULTILINE) for guide in GUIDES]
    assert numbers[0] == numbers[1] and len(numbers[0]) >= 8
