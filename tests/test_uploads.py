"""Uploaded files become a catalogue folder: named by role, zips unpacked safely, same files → same folder."""

from __future__ import annotations

import io
import zipfile

import pandas as pd
import pytest

from recsys import uploads
from recsys.data import load_path


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _catalogue_files(small_catalogue) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in small_catalogue.iterdir() if p.is_file()}


def test_role_of_takes_only_the_base_name_and_known_files():
    assert uploads.role_of("Items.CSV") == "items.csv"
    assert uploads.role_of("shop/2024/interactions.parquet") == "interactions.parquet"
    assert uploads.role_of("ml-100k\\u.data") == "u.data"
    assert uploads.role_of("../../etc/passwd") is None
    assert uploads.role_of("items.xlsx") is None
    assert uploads.role_of("notes.csv") is None


def test_files_are_written_by_role_and_load(small_catalogue, tmp_path):
    files = [(f"My Shop Export ({name})", data) for name, data in _catalogue_files(small_catalogue).items()]
    # Browsers send the bare file name; a crafted one is cut to its last component.
    files = [("../../" + name.split("(")[1].rstrip(")"), data) for name, data in files]
    result = uploads.collect(files, root=tmp_path)
    assert result.folder is not None and result.folder.parent == tmp_path
    # The files by role, and a catalogue.json that names what loose files do not (see the test below).
    assert sorted(p.name for p in result.folder.iterdir()) == sorted([*_catalogue_files(small_catalogue), "catalogue.json"])
    assert load_path(result.folder).n_items == 60
    assert not list(tmp_path.parent.glob("items.csv"))  # nothing escaped the uploads folder


def test_same_files_land_in_the_same_folder_and_different_files_do_not(small_catalogue, tmp_path):
    files = list(_catalogue_files(small_catalogue).items())
    first = uploads.collect(files, root=tmp_path)
    again = uploads.collect(list(reversed(files)), root=tmp_path)
    assert first.folder == again.folder
    changed = [(n, d + b"\n" if n == "items.csv" else d) for n, d in files]
    assert uploads.collect(changed, root=tmp_path).folder != first.folder


def test_a_zip_of_a_nested_folder_is_unpacked_and_junk_is_named(small_catalogue, tmp_path):
    members = {f"shop/{name}": data for name, data in _catalogue_files(small_catalogue).items()}
    members["__MACOSX/shop/._items.csv"] = b"\x00\x05resource fork"
    members["shop/README.txt"] = b"hello"
    members["../evil/items.csv"] = b"should lose to the first items file"
    result = uploads.collect([("export.zip", _zip(members))], root=tmp_path)
    assert load_path(result.folder).n_items == 60
    assert any("README.txt" in line and "not a catalogue file" in line for line in result.skipped)
    assert any("second items file" in line for line in result.skipped)
    assert not any("._items" in line for line in result.skipped)


def test_a_zip_without_a_name_in_its_settings_is_named_after_its_folder_or_itself(small_catalogue, tmp_path):
    """The folder on disk is named by a hash: the catalogue is called what the .zip calls it, never that hash."""
    files = _catalogue_files(small_catalogue)
    nested = uploads.collect([("export-2024.zip", _zip({f"Harbour films/{n}": d for n, d in files.items()}))], root=tmp_path)
    assert load_path(nested.folder).name == "Harbour films"
    flat = uploads.collect([("Story shelf.zip", _zip(files))], root=tmp_path)
    assert load_path(flat.folder).name == "Story shelf"
    noun_only = {**files, "catalogue.json": b'{"noun": "film"}'}
    said = load_path(uploads.collect([("films.zip", _zip(noun_only))], root=tmp_path).folder)
    assert (said.name, said.noun) == ("films", "film")
    named = {**files, "catalogue.json": b'{"name": "Corner shop"}'}
    assert load_path(uploads.collect([("films.zip", _zip(named))], root=tmp_path).folder).name == "Corner shop"
    grouplens = uploads.collect([("ml.zip", _zip({"ml-100k/u.data": b"1\t1\t5\t1\n"}))], root=tmp_path)
    assert sorted(p.name for p in grouplens.folder.iterdir()) == ["u.data"]  # no catalogue.json: it stays a GroupLens folder


def test_loose_files_without_a_name_are_an_uploaded_catalogue_never_the_hash(small_catalogue, tmp_path):
    files = {n: d for n, d in _catalogue_files(small_catalogue).items() if n != "catalogue.json"}
    loose = uploads.collect(list(files.items()), root=tmp_path)
    assert load_path(loose.folder).name == uploads.LOOSE_NAME != loose.folder.name
    assert uploads.collect(list(reversed(files.items())), root=tmp_path).folder == loose.folder  # the same files, the same name
    named = uploads.collect([*files.items(), ("catalogue.json", b'{"name": "Corner shop", "noun": "film"}')], root=tmp_path)
    assert load_path(named.folder).name == "Corner shop"
    unnamed = load_path(uploads.collect([*files.items(), ("catalogue.json", b'{"noun": "film"}')], root=tmp_path).folder)
    assert (unnamed.name, unnamed.noun) == (uploads.LOOSE_NAME, "film")


def test_unknown_files_and_broken_zips_are_reported_not_written(tmp_path):
    result = uploads.collect([("photo.png", b"\x89PNG"), ("data.zip", b"not a zip")], root=tmp_path)
    assert result.folder is None
    assert any(line.startswith("photo.png: not a catalogue file") for line in result.skipped)
    assert any("not a readable .zip" in line for line in result.skipped)
    assert not any(tmp_path.iterdir())


def test_a_zip_bomb_stops_at_the_size_budget(tmp_path, monkeypatch):
    monkeypatch.setattr(uploads, "MAX_UPLOAD_BYTES", 1_000)
    items = pd.DataFrame({"item_id": range(500), "title": ["x" * 20] * 500}).to_csv(index=False).encode()
    result = uploads.collect([("big.zip", _zip({"items.csv": items, "interactions.csv": b"user_id,item_id\n1,1\n"}))], root=tmp_path)
    assert any("items.csv" in line and "unpacked" in line for line in result.skipped)
    assert result.folder is not None and sorted(p.name for p in result.folder.iterdir()) == ["interactions.csv"]


def test_plain_files_and_zips_share_one_budget(tmp_path, monkeypatch):
    """Files sent before a zip count against the same limit: the zip is then not unpacked at all (no negative read size)."""
    monkeypatch.setattr(uploads, "MAX_UPLOAD_BYTES", 1_000)
    big = b"item_id,title\n" + b"1,x\n" * 300  # 1,214 bytes: over the budget on its own
    bomb = _zip({"interactions.csv": b"user_id,item_id\n" + b"1,1\n" * 100_000})
    result = uploads.collect([("items.csv", b"item_id,title\n1,a\n"), ("users.csv", big), ("more.zip", bomb)], root=tmp_path)
    assert any(line.startswith("users.csv: over the") for line in result.skipped), result.skipped
    assert sorted(p.name for p in result.folder.iterdir()) == ["catalogue.json", "items.csv"]
    monkeypatch.setattr(uploads, "MAX_UPLOAD_BYTES", 18)  # exactly the items file
    spent = uploads.collect([("items.csv", b"item_id,title\n1,a\n"), ("more.zip", bomb)], root=tmp_path / "b")
    assert any("more.zip: not unpacked" in line for line in spent.skipped), spent.skipped


def test_a_damaged_member_is_named_not_a_crash(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        archive.writestr("items.csv", b"item_id,title\n" + b"1,a\n" * 200)
    payload = bytearray(buffer.getvalue())
    payload[200:210] = b"\x00" * 10  # inside the stored data: its CRC no longer matches
    result = uploads.collect([("broken.zip", bytes(payload))], root=tmp_path)
    assert result.folder is None and any("cannot be unpacked" in line for line in result.skipped), result.skipped


def test_a_catalogue_as_published_is_read_by_the_names_its_catalogue_json_gives(tmp_path):
    """Book-Crossing style: Books.csv, Ratings.csv, Users.csv and a catalogue.json naming them under "files". The app's
    upload used to skip all three ("not a catalogue file") and then fail "file Ratings.csv: file not found"."""
    from recsys.bookratings import write_bookratings

    published = write_bookratings(tmp_path / "published", n_books=60, n_readers=40)
    sent = sorted((p.name, p.read_bytes()) for p in published.iterdir())
    assert {name for name, _ in sent} == {"Books.csv", "Ratings.csv", "Users.csv", "catalogue.json"}
    expected = load_path(published)
    for files in (sent, list(reversed(sent)), [("books-export.zip", _zip({f"export/{n}": d for n, d in sent}))]):
        result = uploads.collect(files, root=tmp_path / "uploads")
        assert result.skipped == () and result.folder is not None
        assert sorted(p.name for p in result.folder.iterdir()) == ["catalogue.json", "interactions.csv", "items.csv", "users.csv"]
        read = load_path(result.folder)
        assert read.name == expected.name and (read.n_users, read.n_items) == (expected.n_users, expected.n_items)
        pd.testing.assert_frame_equal(read.ratings, expected.ratings)
    # A file the settings name but that was not sent is still asked for by that name.
    partial = uploads.collect([s for s in sent if s[0] != "Users.csv"], root=tmp_path / "uploads")
    from recsys.data import check_path

    assert any("Users.csv" in str(problem) for problem in check_path(partial.folder))


def test_pytorch_widedeeps_movielens_files_upload_under_their_names(tmp_path):
    from recsys.data.grouplens import WIDEDEEP_FILES, _widedeep_data_dir

    sent = [(name, (_widedeep_data_dir() / name).read_bytes()) for name in WIDEDEEP_FILES]
    result = uploads.collect(sent, root=tmp_path)
    assert result.skipped == ()
    assert sorted(p.name for p in result.folder.iterdir()) == sorted(WIDEDEEP_FILES)
    assert load_path(result.folder).n_items == 1682


def test_an_upload_named_by_the_person_is_the_same_files_under_that_name(small_catalogue, tmp_path):
    """Naming an upload writes the same files, byte for byte, in another folder whose catalogue.json says the name;
    the first folder stays, so naming it back finds it (and its trained model) again."""
    files = {n: d for n, d in _catalogue_files(small_catalogue).items() if n != "catalogue.json"}
    loose = uploads.collect(list(files.items()), root=tmp_path).folder
    named = uploads.renamed(loose, "  Corner\tfilms ")
    assert named != loose and named.parent == loose.parent
    assert load_path(named).name == "Corner films" == uploads.name_of(named)
    assert load_path(loose).name == uploads.LOOSE_NAME  # left as it was
    for role in files:
        assert (named / role).read_bytes() == (loose / role).read_bytes()
        assert (named / role).stat().st_ino == (loose / role).stat().st_ino  # linked: a large catalogue is not stored twice
    assert (named / "catalogue.json").stat().st_ino != (loose / "catalogue.json").stat().st_ino
    assert load_path(named).fingerprint() != load_path(loose).fingerprint()  # another catalogue: its own model
    assert uploads.renamed(loose, "Corner films") == named  # the same name, the same folder
    assert uploads.renamed(named, uploads.LOOSE_NAME) == loose  # named back
    assert uploads.renamed(loose, "Corner films") == named  # and again, over its own links
    assert [p.name for p in (*loose.iterdir(), *named.iterdir()) if p.name.startswith(".")] == []  # nothing half-made left
    (loose / ".items.csv.0f3a.link").write_bytes(b"a write cut short")  # what a killed server leaves behind
    assert uploads.renamed(loose, "Corner films") == named  # is not a file of the catalogue
    noun = uploads.collect([*files.items(), ("catalogue.json", b'{"name": "Shop", "noun": "film"}')], root=tmp_path).folder
    assert load_path(uploads.renamed(noun, "Harbour")).noun == "film"  # the rest of the settings kept
    with pytest.raises(ValueError, match="needs a name"):
        uploads.renamed(loose, " \t ")
    grouplens = uploads.collect([("u.data", b"1\t1\t5\t1\n")], root=tmp_path).folder
    assert uploads.name_of(grouplens) is None
    with pytest.raises(ValueError, match="cannot be named"):
        uploads.renamed(grouplens, "Mine")
    assert uploads.clean_name("x" * 200) == "x" * uploads.MAX_NAME


def test_a_file_system_that_cannot_link_gets_a_copy(tmp_path, monkeypatch):
    from recsys import cache

    source = tmp_path / "a" / "ratings.csv"
    source.parent.mkdir()
    source.write_bytes(b"user_id,item_id\n1,2\n")
    cache.atomic_link(source, tmp_path / "b" / "ratings.csv", source.read_bytes())
    assert (tmp_path / "b" / "ratings.csv").stat().st_ino == source.stat().st_ino

    def refused(*_):
        raise OSError(18, "Invalid cross-device link")

    monkeypatch.setattr(cache.os, "link", refused)
    cache.atomic_link(source, tmp_path / "c" / "ratings.csv", source.read_bytes())
    copy = tmp_path / "c" / "ratings.csv"
    assert copy.read_bytes() == source.read_bytes() and copy.stat().st_ino != source.stat().st_ino
    assert sorted(p.name for p in copy.parent.iterdir()) == ["ratings.csv"]  # no half-made link left beside it
