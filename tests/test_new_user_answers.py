"""The New user page never answers wrongly in silence: links tied to their catalogue, rank arrows that name the change
they show, an attribution that adds up to the listed score, the card as the model read it, one entry per film (AppTest)."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest
from test_app import APP, TIMEOUT, card, click, make_persona, open_page, shown

from recsys import columns as C
from recsys.personas import OtherCatalogue, Persona, catalogue_of

pytestmark = pytest.mark.slow


def opened_small(small_catalogue, small_explorer):
    from ui.resources import Opened

    return Opened(str(small_catalogue), small_explorer.fingerprint, small_explorer.dataset.name)


def link_app(token: str, catalogue=None) -> AppTest:
    """A fresh session opening ``?persona=token`` (on ``catalogue``, an Opened, or the server's default)."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    if catalogue is not None:
        at.session_state["catalogue"] = catalogue
    at.query_params["persona"] = token
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


# ---------------------------------------------------------------- links and saved personas carry their catalogue
def test_a_link_made_on_another_catalogue_offers_to_switch_and_never_remaps_ids(monkeypatch, explorer, small_explorer, small_catalogue):
    liked = int(small_explorer.dataset.items.item_id.iloc[5])  # id 6 is also a MovieLens film: a remap would pass silently
    assert liked in explorer.dataset.item_ids
    persona = Persona("Bookish", "comedies", feedback=((liked, "like"),), catalogue=catalogue_of(small_explorer))
    with pytest.raises(OtherCatalogue):
        persona.user(explorer)
    from ui import keeping
    from ui.resources import remember_catalogue

    remember_catalogue(opened_small(small_catalogue, small_explorer), "browser-a")  # an upload this browser opened
    monkeypatch.setattr(keeping, "browser_id", lambda: "browser-b")
    elsewhere = link_app(persona.to_token())  # another browser: somebody else's upload stays private
    assert "private to whoever opened it" in shown(" ".join(e.value for e in elsewhere.error))
    assert not any(b.key == "switch_catalogue_link" for b in elsewhere.button)
    monkeypatch.setattr(keeping, "browser_id", lambda: "browser-a")
    at = link_app(persona.to_token())
    assert "persona_card" not in str(at.main)  # nothing was built on MovieLens
    offer = shown(" ".join(w.value for w in at.warning))
    assert small_explorer.dataset.name in offer and explorer.dataset.name in offer
    click(at, "switch_catalogue_link")
    assert at.session_state["catalogue"].fingerprint == small_explorer.fingerprint
    at.switch_page("app_pages/new_user.py")
    at.run()
    assert f"👍 like {small_explorer.titles()[liked]}" in card(at)


def test_a_link_from_a_catalogue_this_server_does_not_have_says_why(explorer):
    made_on = {"name": "Somebody's bookshop", "fingerprint": "0123456789abcdef"}
    at = link_app(Persona("Elsewhere", "thrillers", liked=(50,), catalogue=made_on).to_token())
    message = shown(" ".join(e.value for e in at.error))
    assert "Somebody" in message and "not open on this server" in message and "not opened" in message
    assert not any(b.key == "switch_catalogue_link" for b in at.button)


def test_a_link_made_with_the_other_text_model_opens_says_so_and_reshares_as_read_here(explorer):
    made_with = {**catalogue_of(explorer), "text_model": "multilingual"}
    at = link_app(Persona("Bilingual", "space operas", liked=(50,), catalogue=made_with).to_token())
    warning = shown(" ".join(w.value for w in at.warning))
    assert "multilingual-e5-small" in warning and "this session reads with MiniLM" in warning
    at.switch_page("app_pages/new_user.py")
    at.run()
    assert explorer.titles()[50] in card(at)
    shared = Persona.from_token(at.code[0].value.split("persona=")[1].split("&")[0])
    assert shared.catalogue == catalogue_of(explorer) and shared.catalogue["text_model"] == "minilm"
    # The same model: nothing to say.
    same = link_app(Persona("English", "space operas", catalogue=catalogue_of(explorer)).to_token())
    assert not any("text model" in w.value for w in same.warning)


def test_a_link_back_to_the_default_catalogue_switches_back(explorer, small_explorer, small_catalogue):
    persona = Persona("Filmgoer", "space operas", liked=(50,), catalogue=catalogue_of(explorer))
    at = link_app(persona.to_token(), catalogue=opened_small(small_catalogue, small_explorer))
    click(at, "switch_catalogue_link")
    assert "catalogue" not in at.session_state
    at.switch_page("app_pages/new_user.py")
    at.run()
    assert explorer.titles()[50] in card(at)


def test_saved_personas_say_their_catalogue_and_open_only_there(app, small_explorer):
    from recsys.persona_store import PersonaStore

    store = PersonaStore()
    name = "Bookshop reader (test)"
    store.save(Persona(name, "comedies", liked=(3,), catalogue=catalogue_of(small_explorer)), overwrite=True)
    try:
        at = make_persona(app, "film noir", "Here")
        picker = at.selectbox(key="saved_pick")
        assert picker.format_func(name).endswith(f"on {small_explorer.dataset.name}")
        picker.set_value(name).run()
        click(at, "open_saved")
        assert any(small_explorer.dataset.name in shown(e.value) and "was not opened" in e.value for e in at.error)
        assert [p for p in at.session_state["personas"]] == ["Here"]  # nothing remapped into the session
    finally:
        store.delete(name)


def test_opening_an_older_saved_persona_twice_makes_no_copy(app, explorer):
    from recsys.persona_store import PersonaStore

    store = PersonaStore()
    name = "Saved before text models (test)"
    older = {k: v for k, v in catalogue_of(explorer).items() if k != "text_model"}  # as saved before links recorded it
    store.save(Persona(name, "film noir", catalogue=older), overwrite=True)
    try:
        at = make_persona(app, "space operas", "Here")
        for _ in range(2):
            at.selectbox(key="saved_pick").set_value(name).run()
            click(at, "open_saved")
        assert sorted(at.session_state["personas"]) == sorted(["Here", name])
    finally:
        store.delete(name)


# ---------------------------------------------------------------- rank arrows name the change they show
def arrows(at: AppTest) -> dict[str, str]:
    """Rank cell text of each row: '**3**  \\n<small>▲ 2</small>' → {'3': '▲ 2'}."""
    cells = [m.value for m in at.markdown if m.value.startswith("**") and "<small>" in m.value and m.value[2].isdigit()]
    return {c.split("**")[1]: c.split("<small>")[1].split("</small>")[0] for c in cells}


def change_caption(at: AppTest) -> str:
    return next((c.value for c in at.caption if c.value.startswith("▲▼🆕 compare")), "")


def test_arrows_follow_the_popularity_pull_and_then_a_like(app, explorer):
    at = make_persona(app, "space operas and alien worlds", "Pull")
    assert change_caption(at) == "" and not any(arrows(at).values())  # a first list compares with nothing
    before = explorer.recommend(explorer.new_user("space operas and alien worlds"), k=50)
    at.slider(key="item_bias_scale_widget").set_value(0.0).run()
    assert "popularity pull 1 → 0" in shown(change_caption(at))
    after = explorer.recommend(explorer.new_user("space operas and alien worlds"), k=20, item_bias_scale=0.0)
    was = dict(zip(before.item_id, before["rank"]))
    expected = {
        # New to the list: not among the 20 shown before (rank 21–50 then is new, as the "dropped out" line counts 20).
        str(r): ("🆕 new" if was.get(i, 99) > 20 else "=" if was[i] == r else f"▲ {was[i] - r}" if was[i] > r else f"▼ {r - was[i]}")
        for i, r in zip(after.item_id, after["rank"])
    }
    assert arrows(at) == expected
    at.toggle(key="why-on-Pull").set_value(True).run()  # a rerun that changes nothing keeps the comparison
    assert "popularity pull 1 → 0" in change_caption(at)
    first = after.iloc[0]
    click(at, f"like-Pull-{first.item_id}")
    assert f"👍 like {first.title}" in shown(change_caption(at)) and "popularity" not in change_caption(at)


def test_the_popularity_sliders_drawn_anew_hold_the_sessions_setting_as_their_default(app):
    """A slider the browser draws anew (another page and back) starts from its default: that must be the kept setting,
    or the next click (a 👍) sends the minimum and silently turns the popularity pull off."""
    at = make_persona(app, "space operas and alien worlds", "Held")
    at.slider(key="item_bias_scale_widget").set_value(0.35).run()
    at.slider(key="axis_strength_widget").set_value(0.4).run()
    open_page(at, "app_pages/score_anatomy.py")
    open_page(at, "app_pages/new_user.py")
    pull, axis = at.slider(key="item_bias_scale_widget"), at.slider(key="axis_strength_widget")
    assert (pull.value, axis.value) == (pytest.approx(0.35), pytest.approx(0.4))
    assert [list(pull.proto.default), list(axis.proto.default)] == [pytest.approx([0.35]), pytest.approx([0.4])]


def formula(latex: str) -> tuple[list[float], float]:
    """The terms and the total of a formula drawn as ``\\underbrace{(x)}_{label} + … = total``."""
    values = [float(v) for v in re.findall(r"\\underbrace\{\(?(-?\d+\.\d+)\)?\}", latex)]
    return values, float(re.search(r"\}\s*=\s*(-?\d+\.\d+)", latex).group(1))


def test_the_popularity_axis_is_a_named_term_that_adds_up_and_is_the_change_named(app, explorer):
    text = "space operas and alien worlds"
    at = make_persona(app, text, "Axis")
    at.slider(key="axis_strength_widget").set_value(0.5).run()
    assert not at.exception, [e.message for e in at.exception]
    assert "popularity axis removed 0 → 0.5" in shown(change_caption(at))
    values, total = formula(next(l.value for l in at.latex if "pop. axis" in l.value))
    assert len(values) == 5 and round(sum(values), 3) == total  # the five parts add up to the total as displayed
    expected = explorer.recommend(explorer.new_user(text), k=1, axis_strength=0.5).iloc[0]
    assert values[4] == pytest.approx(expected["pop"], abs=0.0006) and values[4] != 0.0
    assert total == pytest.approx(expected["score"], abs=0.0011)
    assert "popularity axis removed" in " ".join(c.proto.spec for c in at.get("plotly_chart"))  # a bar of its own
    # Score anatomy reads the same setting (it opens on the persona's #1 item): the term is in its formula and its
    # waterfall, the parts add up there too, and every term reads as it did on New user.
    at = open_page(at, "app_pages/score_anatomy.py")
    anatomy, anatomy_total = formula(next(l.value for l in at.latex if "pop. axis" in l.value))
    assert (anatomy, anatomy_total) == (values, total)
    assert any("removes 0.5 of" in c.value for c in at.caption)
    assert "popularity axis removed" in " ".join(c.proto.spec for c in at.get("plotly_chart"))


def test_the_comparison_with_what_we_would_ship_otherwise(app, explorer):
    from recsys.analysis.overlap import jaccard, rbo
    from recsys.results import latest

    text = "I love comedies but I can't stand horror films"
    at = make_persona(app, text, "Compare", age=30, gender="F")
    at.toggle(key="compare-on").set_value(True).run()
    assert not at.exception, [e.message for e in at.exception]
    table = next(d.value for d in at.dataframe if "rbo" in d.value.columns).set_index("list")
    lists = explorer.alternatives(explorer.new_user(text, {"age": 30, "gender": "F"}), k=10)
    assert list(table.index) == list(lists)
    assert {"popular in segment", "text similarity", "model, text ignored"} <= set(lists)
    for name, items in lists.items():  # each overlap shown is the one of the lists shown
        assert table.loc[name, "jaccard"] == pytest.approx(jaccard(items, lists["this model"]))
        assert table.loc[name, "rbo"] == pytest.approx(rbo(items, lists["this model"]))
    assert table.loc["most popular", "jaccard"] < 1.0
    # The popularity of each list is of the 10 shown, and its column says so (Popularity pull averages the top-20).
    from recsys.analysis.pull import percentiles

    ranks = dict(zip(explorer.items["item_id"], percentiles(np.asarray(explorer.popularity, dtype=np.float64))))
    assert table.loc["this model", "popularity pct. (top-10)"] == pytest.approx(np.mean([ranks[i] for i in lists["this model"]]))
    # Each column lists its top-10, in order, with the titles only it has in bold.
    from ui import literal

    titles = explorer.titles()
    top = literal.md(titles[lists["most popular"][0]])  # the whole title, never cut
    column = next(m.value for m in at.markdown if m.value.startswith(("1. " + top, "1. **" + top)))
    others = set().union(*(set(v) for n, v in lists.items() if n != "most popular"))
    bold = [i for i in lists["most popular"] if i not in others]
    assert column.count("**") == 2 * len(bold) == 2 * table.loc["most popular", "only here"]
    # The benchmark's recall beside each method is the one the results hold for people with no onboarding likes.
    data = latest().data
    assert table.loc["most popular", "recall"] == f"{data['user_cold']['0']['popularity']['recall@20']:.3f}"
    assert table.loc["popular in segment", "recall"] == f"{data['user_cold']['0']['popularity_demographic']['recall@20']:.3f}"
    assert table.loc["this model", "recall"] == f"{data['user_cold']['0']['ours']['recall@20']:.3f}"
    # The share link carries the comparison: a new session opening it has the comparison open.
    url = at.code[0].value
    assert url.endswith("&compare=1")
    fresh = AppTest.from_file(APP, default_timeout=TIMEOUT)
    fresh.query_params["persona"] = url.split("persona=")[1].split("&")[0]
    fresh.query_params["compare"] = "1"
    fresh.run()
    fresh.switch_page("app_pages/new_user.py")
    fresh.run()
    assert not fresh.exception, [e.message for e in fresh.exception]
    assert any("rbo" in d.value.columns for d in fresh.dataframe)
    # The comparison stays open for the next persona: a toggle of each persona's own went off, and it seemed to vanish.
    at = make_persona(at, "westerns and war films", "Next")
    assert at.selectbox(key="shown_persona").value == "Next"
    assert at.toggle(key="compare-on").value and any("rbo" in d.value.columns for d in at.dataframe)


def listed(at: AppTest, name: str) -> list[int]:
    """New user's list of persona ``name``, item ids in the order shown (its 👍 buttons)."""
    return [int(b.key.rsplit("-", 1)[1]) for b in at.button if b.key and b.key.startswith(f"like-{name}-")]


def test_the_share_link_carries_the_popularity_controls_and_every_page_uses_them(app, explorer):
    """A link opens the list it was made from (it used to drop both controls and open the model as trained), and the
    Fusion page's learned list is New user's list at the same controls."""
    text = "space operas and alien worlds"
    at = make_persona(app, text, "Shared")
    at.slider(key="item_bias_scale_widget").set_value(0.5).run()
    at.slider(key="axis_strength_widget").set_value(0.3).run()
    url = at.code[0].value
    assert "&pull=0.5&axis=0.3" in url
    expected = explorer.recommend(explorer.new_user(text), k=20, item_bias_scale=0.5, axis_strength=0.3)
    assert listed(at, "Shared") == list(expected.item_id)
    fresh = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for part in url.split("?")[1].split("&"):
        fresh.query_params[part.split("=")[0]] = part.split("=", 1)[1]
    fresh.run()
    fresh.switch_page("app_pages/new_user.py")
    fresh.run()
    assert not fresh.exception and not fresh.error, [e.value for e in fresh.error]
    assert (fresh.slider(key="item_bias_scale_widget").value, fresh.slider(key="axis_strength_widget").value) == (0.5, 0.3)
    assert listed(fresh, "Shared") == list(expected.item_id)
    assert "&pull=0.5&axis=0.3" in fresh.code[0].value  # shared onwards as it arrived
    fusion = open_page(fresh, "app_pages/fusion.py")
    learned = next(d.value for d in fusion.dataframe if list(d.value.columns) == ["rank", "title"])
    assert list(learned["title"]) == list(expected.title[:10])
    assert any("b_i scaled by 0.5, popularity axis removed 0.3" in c.value for c in fusion.caption)
    # A value that is not a setting is said, and the controls stay as trained.
    broken = AppTest.from_file(APP, default_timeout=TIMEOUT)
    broken.query_params["persona"] = url.split("persona=")[1].split("&")[0]
    broken.query_params["pull"] = "2"
    broken.run()
    assert any("pull='2' is not a number from 0 to 1" in shown(e.value) for e in broken.error)
    open_page(broken, "app_pages/new_user.py")
    assert broken.slider(key="item_bias_scale_widget").value == 1.0
    assert listed(broken, "Shared") == list(explorer.recommend(explorer.new_user(text), k=20).item_id)


def test_the_comparison_says_when_its_recall_is_of_fewer_likes_than_the_persona_gave(explorer):
    """A persona with a number of likes the benchmark did not measure reads the nearest group below, and says so (the
    header said "(2 likes)" for a persona with 3, and nothing said why)."""
    from recsys.personas import catalogue_of
    from recsys.results import latest

    groups = sorted(int(g) for g in latest().data["user_cold"] if g.isdigit())
    likes = next(n for n in range(1, 12) if n not in groups and any(g < n for g in groups))
    nearest = max(g for g in groups if g < likes)
    liked = tuple(int(i) for i in explorer.items.item_id[:likes])
    at = link_app(Persona("Likes", "space operas", liked=liked, catalogue=catalogue_of(explorer)).to_token())
    at.switch_page("app_pages/new_user.py")
    at.run()
    at.toggle(key="compare-on").set_value(True).run()
    assert not at.exception, [e.message for e in at.exception]
    caption = shown(next(c.value for c in at.caption if c.value.startswith("Top-")))
    likes_said = f"{nearest} onboarding like{'' if nearest == 1 else 's'}, the nearest it measured at or below this persona's {likes},"
    assert likes_said in caption, caption


def test_the_comparison_on_another_catalogue_says_whose_benchmark_it_found(small_explorer, small_catalogue):
    """The benchmark results are of ml-100k: on another catalogue no recall is shown, and the caption says why (it cited
    the ml-100k run as the measure and called each — "not measured")."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.session_state["catalogue"] = opened_small(small_catalogue, small_explorer)
    at.run()
    at = make_persona(at, "comedies", "Elsewhere")
    at.toggle(key="compare-on").set_value(True).run()
    assert not at.exception, [e.message for e in at.exception]
    table = next(d.value for d in at.dataframe if "rbo" in d.value.columns)
    assert set(table["recall"]) == {"—"}
    caption = shown(next(c.value for c in at.caption if c.value.startswith("Top-")))
    assert f"are of ml-100k, not of {small_explorer.dataset.name}, so none is shown" in caption
    assert "measured (" not in caption


def test_dropping_a_chip_is_the_change_named(app):
    at = make_persona(app, "Comedies without any romance", "Chips")
    chips = at.pills[0]
    chips.set_value([o for o in chips.options if o != "no Romance"]).run()
    assert "dropped the chip “no Romance”" in shown(change_caption(at))


def interests(at: AppTest) -> str:
    return next((m.value for m in [*at.markdown, *at.caption] if "Interests the text expresses" in m.value), "")


def test_interests_are_of_the_words_the_model_read(app):
    """A wish beside an exclusion: the wish's words only. Nothing but exclusions: no interest at all (the page used to
    show "horror" as what "no horror please" is interested in)."""
    at = make_persona(app, "I love comedies but I can't stand horror films", "Mixed")
    assert "comedies" in interests(at) and "horror" not in interests(at).lower()
    at = make_persona(at, "No horror please", "Only no")
    line = interests(at)
    assert line.startswith("**Interests the text expresses:** none") and "`" not in line, line
    assert "all of it rules something out" in line


def test_interests_leave_out_the_words_that_describe_the_writer(app):
    """ "A 70-year-old retired nurse who loves musicals" listed `retired nurse` and `70-year-old` as interests, and "As a
    student I mostly watch sci-fi" listed `student` and `mostly`: the model reads them, but they are about the writer."""
    for text, interest, about_self in (
        ("A 70-year-old retired nurse who loves musicals", "musicals", ("70", "retired", "nurse")),
        ("As a student I mostly watch sci-fi", "sci-fi", ("student", "mostly")),
        # Nor the words of asking and judging ("heist give", "Gory Bloody messier better Fine").
        ("give me a heist film, fine by me if it's twisty, the twistier the better", "heist", ("give", "fine", "better")),
        # A job the reader takes as no occupation, and a job word inside a longer one (a walk saw both listed).
        ("Computer programmer and dad of two. Space operas and robots", "robots", ("programmer", "computer", "two")),
        ("Retired schoolteacher, 71, who likes detective stories", "detective", ("schoolteacher", "71")),
    ):
        at = make_persona(app, text, interest)
        chosen = re.findall(r"`([^`]+)`", interests(at))
        assert any(interest in c.lower() for c in chosen), (text, chosen)
        assert not [c for c in chosen if any(w in c.lower() for w in about_self)], (text, chosen)


def test_an_age_word_outside_the_age_stays_an_interest():
    """ "old" and "sixties" were left out wherever they stood once an age was stated: "old musicals" lost "old"."""
    from recsys.reading import self_description_words

    assert self_description_words("I'm 71 and love old musicals and sixties spy films", {"age": 71}) == {"71"}
    assert self_description_words("71 years old, fond of war films", {"age": 71}) == {"71", "years", "old"}
    assert self_description_words("in my sixties, fond of war films", {"age": 65}) == {"sixties"}


def test_dropping_the_only_wish_leaves_no_words_and_no_interest(app):
    """Dropping "wants Musical" left the model the neutral placeholder, and the page then listed `now` (from "I watch a
    movie now and then.") as the person's interest."""
    at = make_persona(app, "A retired nurse who loves musicals", "Dropped")
    at.pills[0].set_value([o for o in at.pills[0].options if o != "wants Musical"]).run()
    assert not at.exception, [e.message for e in at.exception]
    assert "dropped the chip “wants Musical”" in shown(change_caption(at))
    line = interests(at)
    assert line.startswith("**Interests the text expresses:** none") and "`" not in line, line
    assert "the chips dropped take every clause it read" in line and "rules something out" not in line
    # With an exclusion beside the wish, the reason is still the dropped chip, not the exclusion (it said "all of it
    # rules something out" of "musicals, way too cheesy for me. I want a good western").
    at = make_persona(at, "musicals, way too cheesy for me. I want a good western", "Both")
    at.pills[0].set_value([o for o in at.pills[0].options if o != "wants Western"]).run()
    line = interests(at)
    assert "the chips dropped take every clause it read" in line and "rules something out" not in line, line


# ---------------------------------------------------------------- the card shows what the model was given
def test_the_card_shows_demographics_stated_in_the_text(app):
    at = make_persona(app, "A 70-year-old retired nurse who loves musicals", "Nurse")
    line = next(line for line in card(at).splitlines() if line.startswith("**Demographics:**"))
    assert "age 70 (from the text)" in line.replace("*", "") and "not given" not in line
    assert "age 70" in at.pills[0].options


def test_a_stated_age_the_form_overrides_is_said_and_offers_no_chip(app, explorer):
    """The form's age wins over the text's: the card says both, and no "age 70" chip stands selected for a statement
    that reaches nothing (dropping it changed nothing)."""
    text = "A 70-year-old retired nurse who loves musicals"
    at = make_persona(app, text, "Younger", age=30)
    line = next(line for line in card(at).splitlines() if line.startswith("**Demographics:**"))
    assert "age 30 (the form's; the text says 70)" in line.replace("*", "")
    assert not any(o.startswith("age") for o in at.pills[0].options) and "wants Musical" in at.pills[0].options
    user = at.session_state["personas"]["Younger"].state
    assert user.demographics["age"] == 30
    assert np.allclose(user.vector, explorer.new_user(text, {"age": 30}).vector)
    at.pills[0].set_value([o for o in at.pills[0].options if o != "wants Musical"]).run()  # another chip: the card still says it
    line = next(line for line in card(at).splitlines() if line.startswith("**Demographics:**"))
    assert "age 30 (the form's; the text says 70)" in line.replace("*", "")
    assert "dropped the chip “wants Musical”" in shown(change_caption(at)) and "age" not in change_caption(at)


def test_a_chosen_title_is_the_chip_and_the_buttons_show_whole_titles(app):
    at = make_persona(app, "I liked Sabrina", "Unsure")
    assert any(o.endswith("Sabrina?") for o in at.pills[0].options)
    choice = next(b for b in at.button if b.key and b.key.startswith("alt-Unsure-") and shown(b.label) == "Sabrina (1954)")
    choice.click()
    at.run()
    options = at.pills[0].options
    assert any(o.endswith("Sabrina (1954)") for o in options) and not any(o.endswith("?") for o in options)
    assert any(v.endswith("Sabrina (1954)") for v in at.pills[0].value)
    assert "chose “Sabrina (1954)” for" in shown(change_caption(at))


# ---------------------------------------------------------------- integrated gradients explain the listed score
def test_attribution_parts_add_up_to_the_score_the_list_shows(app, explorer):
    text = "I love 90s thrillers but can't stand gore"
    at = make_persona(app, text, "Gore")
    at.slider(key="item_bias_scale_widget").set_value(0.5).run()
    at.toggle(key="why-on-Gore").set_value(True).run()
    at.radio(key="why-method-Gore").set_value("integrated gradients (token level)").run()
    assert not at.exception
    choice = at.selectbox(key="why-Gore").value
    frame = at.table[-1].value["value"].astype(float)
    parts, total = frame.iloc[:-1], frame.iloc[-1]
    assert round(parts.sum(), 3) == pytest.approx(total, abs=1e-9)
    assert abs(frame["integration error"]) < 0.05  # never a place to hide a mismatch
    user = at.session_state["personas"]["Gore"].state
    listed = float(explorer.recommend(user, k=20, item_bias_scale=0.5).set_index("item_id").score[choice])
    assert total == pytest.approx(listed, abs=5e-4)  # the list's score, to the table's 3 decimals
    assert f"{listed:.2f}" in [m.value for m in at.markdown]  # and the list shows that same number
    spans = " ".join(m.value for m in at.markdown if "<span title=" in m.value)
    for word in ("stand", "gore"):
        assert re.search(rf"line-through[^>]*>{word}</span>", spans), word  # not read by the model


# ---------------------------------------------------------------- one entry per film
def test_a_film_listed_under_two_ids_is_recommended_once(explorer):
    titles = explorer.dataset.items.title
    doubled = titles[titles.duplicated(keep=False)]
    assert len(doubled) == 36  # MovieLens-100k lists 18 films twice
    assert len(explorer.listed_titles()) == len(titles) - 18  # what title pickers offer
    near = explorer.nearest_items(explorer.item(int(explorer.dataset.items.item_id[titles == "Desperate Measures (1998)"].iloc[0])), k=30)
    assert not near.title.duplicated().any()
    for text in ("thrillers from 1998", "independent dramas from 1997", "family comedies about a cat", "romantic comedy, 1998"):
        recs = explorer.recommend(explorer.new_user(text), k=50)
        assert not recs.title.duplicated().any(), text
    # Liking either entry hides both.
    ids = explorer.dataset.items.item_id[titles == "Desperate Measures (1998)"].tolist()
    for liked in ids:
        user = explorer.new_user("thrillers from 1998", liked=(liked,))
        hidden = set(explorer.dataset.items.item_id.to_numpy()[explorer.hidden_rows(user)])
        assert set(ids) <= hidden
    stand_in = explorer.same_as[explorer.dataset.item_ids.index(ids[1])]
    assert stand_in == explorer.dataset.item_ids.index(ids[0])  # the entry with more ratings stands for both
    assert np.all(explorer.same_as[explorer.same_as] == explorer.same_as)
    assert isinstance(explorer.same_as, np.ndarray) and len(pd.unique(explorer.same_as)) == len(titles) - 18


# ---------------------------------------------------------------- an own catalogue's user columns
@pytest.fixture(scope="module")
def bookshop_explorer(tmp_path_factory):
    from recsys import Explorer
    from recsys.data import load_path
    from recsys.examples import write_bookshop

    return Explorer.load(dataset=load_path(write_bookshop(tmp_path_factory.mktemp("examples") / "bookshop")))


def test_every_user_column_is_in_the_form_and_a_stated_region_is_read(monkeypatch, bookshop_explorer):
    from ui import resources

    monkeypatch.setitem(resources._FOR_GOOD, "engine", bookshop_explorer)
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    at.switch_page("app_pages/new_user.py")
    at.run()
    assert [n.label for n in at.number_input] == ["Age"] and "Region" in [s.label for s in at.selectbox]
    at = make_persona(at, "I live in Scotland and love cosy village mysteries", "Scot")
    assert "region Scotland (from the text)" in card(at).replace("*", "")
    assert any(o.endswith("region Scotland") for o in at.pills[0].options)
    at = make_persona(at, "I live in Scotland and love cosy village mysteries", "Welsh", demo_region="Wales", age=44)
    line = next(line for line in card(at).splitlines() if line.startswith("**Demographics:**")).replace("*", "")
    assert "region Wales (the form's; the text says Scotland)" in line and "age 44" in line  # what the form says wins
    assert not any(o.endswith("region Scotland") for o in at.pills[0].options)  # a statement that reaches nothing: no chip
    assert at.session_state["personas"]["Welsh"].persona.demographics == {"age": 44, "region": "Wales"}


def test_the_popularity_caption_explains_no_popularity_a_list_does_not_have(monkeypatch, bookshop_explorer):
    """A bookshop list at percentile 46 read "its popularity comes through ⟨e_u, e_i⟩ … not through the bias": there was
    none to explain. And a b_i that decides most of the order by holding books back is not read as a pull to popularity."""
    from ui import resources

    monkeypatch.setitem(resources._FOR_GOOD, "engine", bookshop_explorer)
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()

    def shown(text: str, name: str):
        nonlocal at
        at = make_persona(at, text, name)
        user = at.session_state["personas"][name].state
        pull = bookshop_explorer.popularity_pull(bookshop_explorer.recommend(user, k=20))
        caption = next(c.value for c in at.caption if "popularity percentile" in c.value)
        return (
            float(next(m.value for m in at.metric if m.label == "This list")),
            next(m for m in at.metric if m.label == "b_i's share"),
            pull,
            caption,
        )

    percentile, _, pull, caption = shown("poetry", "Verse")
    assert percentile == round(pull.list_percentile) and percentile <= 55  # the case this part is about
    assert "popularity does not drive it" in caption and "its popularity comes through" not in caption
    # b_i decides most of this order and is negative: its share is said with its sign, not read as a pull to popularity.
    _, share, pull, caption = shown("cosy village mysteries, nothing too dark", "Cosy")
    mean_bias = pull.items["b_i"].mean()
    assert pull.bias_share >= 0.5 and mean_bias < 0  # the case this part is about
    assert share.delta == f"mean b_i {mean_bias:+.2f}"
    assert f"it is negative here (mean {mean_bias:+.2f}), holding these books back" in caption


def test_a_catalogue_without_ratings_offers_a_like_and_a_dislike_and_no_stars(monkeypatch, bookshop_explorer):
    """The bookshop records reads, not ratings: a 2★ there would mean nothing, so the list offers no stars."""
    from ui import resources

    monkeypatch.setitem(resources._FOR_GOOD, "engine", bookshop_explorer)
    assert bookshop_explorer.dataset.implicit
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    at = make_persona(at, "cosy village mysteries", "Cosy")
    assert any(m.value == "#### Top-20 — like or dislike to update the user online" for m in at.markdown)
    assert len(at.feedback) == 0 and "rate" not in [c.value for c in at.caption]
    assert sum(b.label == "👍" for b in at.button) == 20


# ---------------------------------------------------------------- one click to correct the reading
def genres_listed(at: AppTest) -> list[str]:
    """The genre line under each listed title."""
    return [m.value.split("<small>")[1] for m in at.markdown if "<small>" in m.value and not m.value.startswith("**")]


def correct(at: AppTest, name: str, genre: str, how: str) -> AppTest:
    at.selectbox(key=f"fix-genre-{name}").set_value(genre).run()
    at.radio(key=f"fix-kind-{name}").set_value(how).run()
    return click(at, f"fix-{name}")


def test_flipping_a_wanted_genre_rules_it_out_and_the_list_follows(app):
    at = make_persona(app, "Romantic comedies and love stories", "Flip")
    assert any("Romance" in g for g in genres_listed(at))
    at = correct(at, "Flip", "Romance", "rules out")
    assert not any("Romance" in g for g in genres_listed(at))
    assert "Romance: wanted → ruled out" in shown(change_caption(at))
    assert any(o.endswith("no Romance") for o in at.pills[0].options)
    persona = at.session_state["personas"]["Flip"].persona
    assert Persona.from_token(persona.to_token()).reading["rules_out"] == ["Romance"]  # travels in links and saves


def test_a_wish_the_list_does_not_show_is_said_and_can_be_named_for_the_model(app, explorer):
    """ "bring on the blood and guts" reads as wanting Horror, but the language model reads the words, and the first ten
    held no horror film: a chip promising what the list does not show. The page says so and names it for the model."""
    candidates = ["bring on the blood and guts", "guts and gore please", "blood and guts, the more the better"]
    genres = dict(zip(explorer.items[C.ITEM], explorer.items[C.GENRES]))
    text = next(
        (t for t in candidates if not any("Horror" in genres[i] for i in explorer.recommend(explorer.new_user(t), k=10)[C.ITEM])), None
    )
    assert text is not None, "every candidate lists a horror film in its first ten: write one whose words do not lead there"
    at = make_persona(app, text, "Guts")
    at.slider(key="k").set_value(10).run()
    assert "wants Horror" in at.pills[0].value and not any("Horror" in g for g in genres_listed(at))
    said = next((c.value for c in at.caption if c.value.startswith("None of these")), "")
    assert "None of these 10 films is Horror, though the reading wants it" in shown(said) and "never name Horror" in shown(said), said
    at = click(at, "name-genre-Guts-Horror")
    assert any("Horror" in g for g in genres_listed(at))
    assert "named Horror for the language model" in shown(change_caption(at))
    assert not any(c.value.startswith("None of these") for c in at.caption)
    persona = at.session_state["personas"]["Guts"].persona
    assert Persona.from_token(persona.to_token()).reading["kept_text"].endswith("Horror")  # travels in links and saves


def test_a_genre_the_reading_missed_can_be_added(app):
    at = make_persona(app, "Something for a rainy Sunday with the family", "Add")
    before = genres_listed(at)
    assert any("Comedy" in g for g in before)
    at = correct(at, "Add", "Comedy", "rules out")
    assert not any("Comedy" in g for g in genres_listed(at))
    assert "added Comedy as ruled out" in shown(change_caption(at))


def test_an_unsure_title_is_held_back_until_chosen(explorer):
    user = explorer.new_user("I liked Sabrina and romantic comedies")
    candidates = {i for m in user.reading.titles if not m.confident for i, _, _ in m.alternatives}
    assert len(candidates) == 2
    assert not candidates & set(explorer.recommend(user, k=100).item_id)
    assert candidates & set(explorer.recommend(explorer.new_user("romantic comedies"), k=100).item_id)  # they would rank


def test_a_genre_ruled_out_by_correction_leaves_the_text_the_model_reads(app, explorer):
    from recsys.analysis.attribution import score_attribution

    at = make_persona(app, "I love gory horror films and silly comedies", "Fix")
    at = correct(at, "Fix", "Horror", "rules out")
    user = at.session_state["personas"]["Fix"].state
    assert user.reading.kept_text == "silly comedies"  # the horror clause is out of what the model reads
    scream = int(explorer.dataset.items.item_id[explorer.dataset.items.title == "Scream (1996)"].iloc[0])
    words = score_attribution(explorer, user, scream).words.set_index("word")
    assert not words.loc[["gory", "horror"], "read"].any()
    assert words["credit"].sum() == pytest.approx(explorer.explain(user, scream).dot_by_user_term["avoid"], abs=1e-6)
    assert words.loc[["gory", "horror"], "credit"].sum() < -1  # the penalty sits on the words that named the genre


def test_ruling_out_a_genre_the_text_never_names_changes_only_that_genres_scores(app, explorer):
    """Adding "rules out Comedy" to a profile that never mentions comedy leaves what the model reads word for word, so
    every film without Comedy keeps its score; only the rules-out term moves the comedies."""
    at = make_persona(app, "loved Heat and Fargo, no romance please", "Aside")
    before = at.session_state["personas"]["Aside"].state
    at = correct(at, "Aside", "Comedy", "rules out")
    after = at.session_state["personas"]["Aside"].state
    assert after.reading.rules_out == ("Romance", "Comedy")
    assert explorer.embedded_text(after) == explorer.embedded_text(before)
    was = explorer.recommend(before, k=50).set_index("item_id")
    now = explorer.recommend(after, k=100).set_index("item_id")
    kept = [i for i in was.index if "Comedy" not in was.loc[i, "genres"]]
    assert kept and now.loc[kept, "score"].to_dict() == pytest.approx(was.loc[kept, "score"].to_dict(), abs=1e-6)
