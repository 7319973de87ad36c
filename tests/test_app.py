"""Every page renders with the real engine, and its key widgets drive the right output (AppTest)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

pytestmark = pytest.mark.slow
TIMEOUT = 240
APP = str(Path(__file__).resolve().parent.parent / "app.py")


@pytest.fixture
def app(explorer) -> AppTest:
    # `explorer` makes sure the model is trained and cached before the app loads it.
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    assert not at.exception, at.exception
    return at


def open_page(at: AppTest, page: str) -> AppTest:
    at.switch_page(page)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_home(app):
    text = " ".join(m.value for m in app.markdown)
    assert "Cold-start explorer" in " ".join(t.value for t in app.title)
    assert "GroupLens" in " ".join(c.value for c in app.caption)
    assert any(m.label == "Dataset" and m.value == "ml-100k" for m in app.metric)
    assert "guided start" in " ".join(s.value for s in app.subheader)
    assert text


def make_persona(at: AppTest, text: str, name: str) -> AppTest:
    open_page(at, "app_pages/new_user.py")
    at.text_area(key="profile_text").set_value(text)
    at.text_input(key="persona_name").set_value(name)
    at.button[0].click()  # the form's submit button is the first button on the page
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_new_user_recommends_and_feedback_moves_ranks(app):
    at = make_persona(app, "gory slasher films", "Horror")
    titles = " ".join(m.value for m in at.markdown)
    assert "Scream" in titles or "Shining" in titles or "Nightmare" in titles
    likes = [b for b in at.button if b.key and b.key.startswith("like-Horror-")]
    assert len(likes) == 20
    likes[3].click()
    at.run()
    assert not at.exception
    moves = [m.value for m in at.markdown if m.value.startswith(("▲", "▼", "🆕", "="))]
    assert moves, "rank changes are shown after feedback"
    assert any(m.label == "b_u" for m in at.metric)


def test_empty_profile_is_a_message_not_a_traceback(app):
    at = make_persona(app, "   ", "Empty")
    assert any("empty" in e.value for e in at.error)


def test_html_in_profile_is_escaped(app):
    at = make_persona(app, "<b>bold</b><script>alert(1)</script> westerns", "Markup")
    shown = " ".join(m.value for m in at.markdown)
    assert "&lt;script&gt;" in shown and "<script>" not in shown


def test_new_item_page(app):
    at = open_page(app, "app_pages/new_item.py")
    at.button[0].click()
    at.run()
    assert not at.exception
    assert any("top-20" in m.label for m in at.metric)
    assert len(at.dataframe) >= 2


def test_map_page_with_a_persona(app):
    at = make_persona(app, "space operas", "Space")
    at = open_page(at, "app_pages/embedding_map.py")
    assert not at.info  # the "no personas yet" hint is gone: the persona is on the map


def test_score_anatomy_page(app):
    at = open_page(app, "app_pages/score_anatomy.py")
    latex = " ".join(l.value for l in at.latex)
    assert "1.25" in latex and "\\hat r" in latex


def test_fusion_page_sliders_change_the_list(app):
    at = make_persona(app, "gory slasher films", "Slasher")
    at.number_input(key="age").set_value(60)  # a second user modality, so re-weighting matters
    at.button[0].click()
    at.run()
    at = open_page(at, "app_pages/fusion.py")

    def reweighted() -> list:
        lists = [d.value for d in at.dataframe if "title" in d.value.columns and "rank" in d.value.columns]
        return lists[-1]["title"].tolist()

    before = reweighted()
    at.slider(key="uf-text").set_value(0.0)
    at.run()
    assert not at.exception
    after = reweighted()
    assert "items in common" in " ".join(m.value for m in at.markdown)
    assert before != after


def metrics(recall: float) -> dict:
    return {"recall@20": recall, "recall@20_ci95": 0.01, "ndcg@20": recall, "hr@10": 0.5, "ndcg@10": recall,
            "avg_popularity": 100.0, "coverage": 0.1, "gini": 0.9, "n_users": 10}  # fmt: skip


def test_evaluation_page_without_results(app, monkeypatch, tmp_path):
    monkeypatch.setenv("COLDSTART_BENCH_RESULTS", str(tmp_path / "missing.json"))
    at = open_page(app, "app_pages/evaluation.py")
    assert any("make bench" in i.value for i in at.info)


def test_evaluation_page_draws_the_results(app, monkeypatch, tmp_path):
    import json

    block = {"ours": metrics(0.3), "popularity": metrics(0.1)}
    results = {
        "dataset": "ml-100k", "seeds": [0], "date": "2026-01-01", "item_cold": block, "warm_items": block,
        "user_cold": {"0": block, "5": block}, "feedback_loop": {"ours": {"0": 0.3, "1": 0.35}, "popularity": {"0": 0.3, "1": 0.2}},
        "ablation": {"item_cold": {"text_only": metrics(0.2)}}, "targets": {"t": {"value": 1.0, "target": 1.0, "met": True}},
        "peers_missing": ["lightfm"],
    }  # fmt: skip
    path = tmp_path / "results.json"
    path.write_text(json.dumps(results))
    monkeypatch.setenv("COLDSTART_BENCH_RESULTS", str(path))
    at = open_page(app, "app_pages/evaluation.py")
    titles = " ".join(s.value for s in at.subheader)
    assert "warm-up curve" in titles and "Item cold-start" in titles and "Feedback loop" in titles
    assert any("lightfm" in w.value for w in at.warning)
    assert len(at.get("plotly_chart")) >= 4


def test_shared_link_reproduces_a_persona(explorer):
    from recsys.personas import Persona

    token = Persona("Linked", "cartoons with my kids").to_token()
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["persona"] = token
    at.run()
    at.switch_page("app_pages/new_user.py")
    at.run()
    assert not at.exception
    assert at.selectbox(key="shown_persona").value == "Linked"


def test_broken_link_is_a_clear_message(explorer):
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["persona"] = "garbage!!"
    at.run()
    assert any("could not be opened" in e.value for e in at.error)


def test_map_colours_users_by_segment(app):
    at = open_page(app, "app_pages/embedding_map.py")
    users = next(s for s in at.selectbox if s.label == "Users")
    users.select("by gender")
    at.run()
    assert not at.exception
    spec = at.get("plotly_chart")[0].proto.spec
    assert "users: women" in spec and "users: men" in spec


def test_link_with_an_unknown_item_is_a_clear_message(explorer):
    from recsys.personas import Persona

    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["persona"] = Persona("Ghost", "anything", liked=(999_999,)).to_token()
    at.run()
    assert not at.exception
    assert any("unknown liked item id 999999" in e.value for e in at.error)


def test_word_attribution_methods(app):
    at = make_persona(app, "gory slasher films", "Why")
    assert not [m for m in at.markdown if "<span title=" in m.value]  # nothing computed until asked
    at.toggle(key="why-on-Why").set_value(True)
    at.run()
    leave = [m.value for m in at.markdown if "<span title=" in m.value]
    assert leave and "slasher" in leave[0]
    at.radio(key="why-method-Why").set_value("integrated gradients (token level)")
    at.run()
    assert not at.exception
    assert any("Word attributions sum to" in c.value for c in at.caption)
