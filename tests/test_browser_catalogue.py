"""Your own catalogue in the real browser: a server started on the example bookshop, and uploads trained in the app.

Two ways in are driven here end to end (``COLDSTART_DATA`` for the server, the Catalogue
page's upload); the command line's ``--data`` is in ``tests/test_ways_in.py``.
"""

from __future__ import annotations

import io
import os
import uuid
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from test_browser import SHOTS, assert_no_exception, upload, wait_idle

from tools import loadtest

pytestmark = [pytest.mark.slow, pytest.mark.browser]
BOOK_PAGES = ["New user", "New book", "Embedding map", "Score anatomy", "Fusion", "Evaluation", "Catalogue", "Home"]


@pytest.fixture(scope="module")
def bookshop(tmp_path_factory) -> Path:
    from recsys.examples import write_bookshop

    return write_bookshop(tmp_path_factory.mktemp("bookshop"))


@pytest.fixture(scope="module")
def default_server(explorer):
    """The app on MovieLens-100k (the model the test run trained), for uploads."""
    log = Path(os.environ["COLDSTART_CACHE"]) / "catalogue-test-default.log"
    with loadtest.serve(log, timeout=180) as (url, _):
        yield url


def main_text(page) -> str:
    return page.locator("[data-testid='stMain']").inner_text()


def test_a_server_on_the_bookshop_speaks_of_books_on_every_page(bookshop, browser):
    """``COLDSTART_DATA=<bookshop>``: every page renders without an exception and says "book", never "film"."""
    from playwright.sync_api import expect

    log = Path(os.environ["COLDSTART_CACHE"]) / "catalogue-test-bookshop.log"
    with loadtest.serve(log, env={"COLDSTART_DATA": str(bookshop)}, timeout=180) as (url, _):
        SHOTS.mkdir(exist_ok=True)
        page = browser.new_page(viewport={"width": 1440, "height": 2200})
        page.goto(url)
        page.get_by_text("Users × books").wait_for(timeout=900_000)  # the server trains the bookshop on first start
        expect(page.locator("[data-testid='stSidebar']")).to_contain_text("Bookshop")
        page.get_by_role("link", name="New user").first.click()
        page.get_by_role("textbox", name="Profile text").wait_for(timeout=120_000)
        page.get_by_role("textbox", name="Profile text").fill("cosy mysteries set in small villages, nothing too gory")
        page.get_by_role("textbox", name="Persona name").fill("Village sleuth")
        page.get_by_role("button", name="Recommend").click()
        page.get_by_text("Top-20").wait_for(timeout=120_000)
        wait_idle(page)
        assert_no_exception(page)
        page.locator("button:has-text('👍')").first.click()
        wait_idle(page)
        expect(page.locator(".st-key-persona_card")).to_contain_text("👍 like", timeout=60_000)
        for title in BOOK_PAGES:
            page.get_by_role("link", name=title).first.click()
            wait_idle(page)
            if title == "New book":
                page.get_by_role("button", name="Find its audience").click()
                wait_idle(page)
                expect(page.get_by_text("Most likely audience")).to_have_count(1, timeout=60_000)
            if title == "Embedding map":
                page.wait_for_selector(".js-plotly-plot", timeout=300_000)
                wait_idle(page)
                expect(page.get_by_text("Placed on the map")).to_contain_text("Village sleuth", timeout=60_000)
            if title == "Score anatomy":
                expect(page.get_by_text("Worked example you can check by hand")).to_have_count(1, timeout=60_000)
            assert_no_exception(page)
            text = main_text(page)
            page.screenshot(path=str(SHOTS / f"bookshop_{title.lower().replace(' ', '_')}.png"), full_page=True)
            if title == "Home":  # GroupLens is credited for the packaged default, not for the open catalogue
                assert "MovieLens data (the packaged default catalogue) © GroupLens" in text, text[-800:]
            if title in ("New user", "New book", "Embedding map", "Score anatomy", "Catalogue", "Home"):
                assert "book" in text.lower(), (title, text[:400])
            words = [w for w in text.lower().split() if w.startswith("film")]
            # The Home page credits GroupLens' MovieLens (the default catalogue); nothing else may say "film".
            assert not words or title in ("Home", "Evaluation", "Fusion"), (title, words)
        page.close()


def _small_zip(folder: Path, noun: str, extra_title: str) -> Path:
    """The small test catalogue as one .zip of a folder, with its noun and one item only this run has (so it trains afresh)."""
    items = pd.read_csv(folder / "items.csv")
    extra = {"item_id": int(items["item_id"].max()) + 1, "title": extra_title, "genres": "Comedy", "year": 1999, "text": "A one-off."}
    items = pd.concat([items, pd.DataFrame([extra])], ignore_index=True)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("shop/items.csv", items.to_csv(index=False))
        for name in ("interactions.csv", "users.csv"):
            archive.writestr(f"shop/{name}", (folder / name).read_bytes())
        archive.writestr(
            "shop/catalogue.json", f'{{"name": "Story shelf", "noun": "{noun}", "nouns": "{noun}s", "credit": "Story shelf sample data"}}'
        )
    path = folder.parent / f"shelf-{uuid.uuid4().hex[:6]}.zip"
    path.write_bytes(buffer.getvalue())
    return path


def test_an_upload_trains_with_progress_and_cancel_and_then_opens(default_server, browser, small_catalogue):
    """Upload a .zip, cancel its training (the server's catalogue keeps serving), then train it for real and explore it."""
    from playwright.sync_api import expect

    archive = _small_zip(small_catalogue, "tale", f"Run {uuid.uuid4().hex[:8]}")
    page = browser.new_page(viewport={"width": 1440, "height": 1800})
    page.goto(default_server)
    page.get_by_text("Users × films").wait_for(timeout=300_000)
    expect(page.locator("[data-testid='stSidebar']")).to_contain_text("Data: MovieLens © GroupLens Research")
    upload(page, [archive])
    expect(page.get_by_text("looks good")).to_contain_text("61 tales", timeout=60_000)
    page.get_by_role("button", name="Train and open").click()
    page.get_by_role("button", name="Cancel training").wait_for(timeout=60_000)
    expect(page.locator("[data-testid='stProgress']")).to_have_count(1, timeout=30_000)  # redrawn every second
    page.screenshot(path=str(SHOTS / "catalogue_training.png"), full_page=True)
    page.get_by_role("button", name="Cancel training").click()
    expect(page.get_by_text("Training cancelled")).to_be_visible(timeout=120_000)
    expect(page.locator("[data-testid='stSidebar']")).to_contain_text("ml-100k")

    # The server's catalogue still serves this session, and another one.
    other = browser.new_page(viewport={"width": 1440, "height": 1800})
    for each in (page, other):
        if each is other:
            each.goto(f"{default_server}/new_user")
        else:
            each.get_by_role("link", name="New user").first.click()
        each.get_by_role("textbox", name="Profile text").wait_for(timeout=120_000)
        each.get_by_role("textbox", name="Profile text").fill("space operas")
        each.get_by_role("button", name="Recommend").click()
        each.get_by_text("Top-20").wait_for(timeout=120_000)
        wait_idle(each)
        assert_no_exception(each)
        assert each.get_by_text("Star Wars", exact=False).count() > 0
    other.close()

    # Now train it for real: the session switches, the pages use the catalogue's noun.
    page.get_by_role("link", name="Catalogue").first.click()
    wait_idle(page)
    page.get_by_text("Your own files").click()
    page.locator("input[type=file]").first.set_input_files(str(archive))
    page.get_by_role("button", name="Train and open").click()
    expect(page.get_by_text("Now exploring Story shelf")).to_be_visible(timeout=600_000)
    # The persona made on ml-100k above is cleared with its model, and the notice says so.
    expect(page.get_by_text("Now exploring Story shelf")).to_contain_text("1 persona made on the previous catalogue")
    expect(page.locator("[data-testid='stSidebar']")).to_contain_text("61 tales")
    # Whose data is open: the catalogue's own credit; GroupLens only for the packaged default it also serves.
    sidebar = page.locator("[data-testid='stSidebar']").inner_text()
    assert "Data: Story shelf sample data." in sidebar and "Data: MovieLens" not in sidebar, sidebar
    assert "MovieLens data (the packaged default catalogue)" in sidebar
    page.get_by_role("link", name="New user").first.click()
    page.get_by_role("textbox", name="Profile text").wait_for(timeout=120_000)
    assert "tales they like" in main_text(page)
    page.get_by_role("textbox", name="Profile text").fill("haunted houses and zombies")
    page.get_by_role("button", name="Recommend").click()
    page.get_by_text("Top-20").wait_for(timeout=120_000)
    wait_idle(page)
    assert_no_exception(page)
    assert page.get_by_text("Horror Story", exact=False).count() > 0
    page.screenshot(path=str(SHOTS / "catalogue_opened_new_user.png"), full_page=True)
    # And back to the server's catalogue.
    page.get_by_role("link", name="Catalogue").first.click()
    page.get_by_role("button", name="Back to the server's catalogue").click()
    expect(page.locator("[data-testid='stSidebar']")).to_contain_text("ml-100k", timeout=60_000)
    page.close()
