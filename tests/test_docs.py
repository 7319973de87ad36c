"""The README and the manual in docs/: every relative link reaches a file, every #anchor a heading, every page is indexed."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
PAGES = [ROOT / "README.md", *sorted(DOCS.rglob("*.md"))]

FENCE = re.compile(r"^```.*?^```[^\n]*$", re.DOTALL | re.MULTILINE)
CODE_SPAN = re.compile(r"(`+)(?!`).*?(?<!`)\1", re.DOTALL)
LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$", re.MULTILINE)


def prose(text: str) -> str:
    """The text a reader sees as Markdown: fenced blocks and code spans left out (a link's text may hold a code span)."""
    return CODE_SPAN.sub("", FENCE.sub("", text))


def anchors(text: str) -> set[str]:
    """The #anchors GitHub gives a file's headings: lower-case, punctuation dropped, spaces as hyphens, repeats numbered."""
    seen: dict[str, int] = {}
    found = set()
    for _, title in HEADING.findall(FENCE.sub("", text)):
        slug = re.sub(r"[^\w\- ]", "", title.lower()).replace(" ", "-")
        found.add(slug if slug not in seen else f"{slug}-{seen[slug]}")
        seen[slug] = seen.get(slug, 0) + 1
    return found


def links(page: Path) -> list[str]:
    """The targets of a page's links and images that stay inside the repository (no scheme, no mail)."""
    targets = LINK.findall(prose(page.read_text(encoding="utf-8")))
    return [t for t in targets if not re.match(r"[a-z][a-z0-9+.-]*:", t, re.IGNORECASE)]


def broken(page: Path) -> list[str]:
    """Each relative link of a page whose file is missing or whose #anchor names no heading of that file."""
    problems = []
    for target in links(page):
        path, _, anchor = target.partition("#")
        file = (page.parent / unquote(path)).resolve() if path else page
        if not file.exists():
            problems.append(f"{target}: no such file")
        elif anchor and file.suffix == ".md" and unquote(anchor).lower() not in anchors(file.read_text(encoding="utf-8")):
            problems.append(f"{target}: no heading with that anchor")
    return problems


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_reaches_a_file_and_every_anchor_a_heading(page):
    assert links(page), "the README and every manual page link somewhere"
    assert broken(page) == []


def test_the_link_check_sees_a_missing_file_and_a_missing_heading(tmp_path):
    (tmp_path / "other.md").write_text("# Other\n\n## Sharing it with a team\n", encoding="utf-8")
    page = tmp_path / "page.md"
    page.write_text(
        "# Page (one)\n\n[ok](other.md#sharing-it-with-a-team) [self](#page-one) ![pic](other.md) [web](https://example.org/x)\n"
        "`[in code](nowhere.md)` and\n```\n[in a block](nowhere.md)\n```\n"
        "[gone](missing.md) [wrong](other.md#sharing) [self wrong](#page)\n",
        encoding="utf-8",
    )
    assert broken(page) == [
        "missing.md: no such file",
        "other.md#sharing: no heading with that anchor",
        "#page: no heading with that anchor",
    ]


def test_the_manual_index_lists_every_page_and_the_readme_leads_to_the_index():
    indexed = {(DOCS / target.partition("#")[0]).resolve() for target in links(DOCS / "README.md")}
    pages = {page.resolve() for page in DOCS.rglob("*.md") if page != DOCS / "README.md"}
    assert pages and pages <= indexed, sorted(str(p.relative_to(ROOT)) for p in pages - indexed)
    assert "docs/README.md" in links(ROOT / "README.md")


def test_the_readme_keeps_the_movielens_credit_grouplens_asks_for():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "GroupLens Research, University of Minnesota" in readme
    assert "The MovieLens Datasets: History and Context" in readme
