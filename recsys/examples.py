"""Example catalogues written to disk: a made-up bookshop in the generic catalogue format.

``python -m recsys.examples [FOLDER]`` writes it (default ``data/examples/bookshop``). Every
book, blurb and reader is invented here from templates and word lists, deterministically from
the seed; no real books or people are involved.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd

N_BOOKS = 300
N_READERS = 800
N_READS = 5000
DEFAULT_FOLDER = Path("data/examples/bookshop")
#: Dirichlet concentration of a reader's taste over genres: small values mean one or two favourites.
TASTE_CONCENTRATION = 0.05
CATALOGUE = {"name": "Bookshop (example)", "noun": "book", "nouns": "books"}

FORMATS = {"paperback": 0.45, "hardback": 0.2, "ebook": 0.25, "audiobook": 0.1}
LANGUAGES = {"English": 0.82, "French": 0.06, "Spanish": 0.05, "German": 0.04, "Italian": 0.03}
REGIONS = ("London", "South East", "South West", "Midlands", "North West", "North East", "Scotland", "Wales")
FIRST_NAMES = (
    "Agnes", "Arthur", "Beatrix", "Cecil", "Clara", "Dev", "Edith", "Farah", "Felix", "Hattie", "Idris", "Imogen",
    "Jonah", "Kit", "Lena", "Marguerite", "Milo", "Nell", "Omar", "Priya", "Rosalind", "Rufus", "Sana", "Tobias", "Wren",
)  # fmt: skip
SURNAMES = (
    "Ashdown", "Blackwood", "Carrow", "Delacroix", "Ellery", "Fairweather", "Greaves", "Hollis", "Ives", "Kendrick",
    "Lomax", "Marlowe", "Nightingale", "Okafor", "Pemberton", "Quill", "Ravensworth", "Sato", "Thorne", "Whitlock",
)  # fmt: skip

#: Per genre: title templates, then blurb sentences in three parts (an opening, an optional
#: middle, an optional closing pitch), and the word lists their ``{slots}`` draw from.
#: ``{name}`` and ``{surname}`` are shared by every genre; one pick per book keeps a blurb consistent.
GENRES: dict[str, dict] = {
    "Fantasy": {
        "titles": ["The {thing} of {realm}", "{Name} and the {thing}", "A Crown of {material}", "The Last {role}"],
        "opening": ["In the kingdom of {realm}, a young {role} discovers {secret}.",
                    "{Name}, a {role} with a forbidden gift, must carry the {thing} across {land}.",
                    "When the {creature}s return to {realm}, only an exiled {role} remembers how to stop them."],
        "middle": ["Magic has a price, and {Name} is about to learn it.", "An old prophecy, a broken {thing} and a map drawn in {material}.",
                   "Allies are few and the {creature}s are many."],
        "closing": ["An epic fantasy of courage and sorcery.", "The first book of a sweeping saga.", "Dragons, oaths and a quest worth dying for."],
        "slots": {"realm": ["Eldmoor", "Varrow", "the Ashen Isles", "Caer Linn", "the Glass Marches"],
                  "role": ["apprentice mage", "thief", "knight", "witch", "cartographer", "heir"],
                  "thing": ["Sword", "Crown", "Lantern", "Throne", "Key", "Dragon's Egg"],
                  "material": ["Silver", "Bone", "Ash", "Starlight", "Iron"],
                  "secret": ["a sleeping dragon beneath the castle", "the true name of the king", "a door between worlds"],
                  "creature": ["dragon", "wraith", "giant", "shadow-elf"], "land": ["the frozen north", "the Thornwood", "the endless desert"]},
    },
    "Science fiction": {
        "titles": ["{Ship} Drift", "The {planet} Protocol", "Signals from {planet}", "After the {event}"],
        "opening": ["Aboard the starship {Ship}, {Name} {surname} wakes from cryosleep to find the crew gone.",
                    "In {year_future}, the first colony on {planet} stops answering.",
                    "An AI called {ai} has a question humanity is not ready to answer."],
        "middle": ["The {event} changed everything we thought we knew about the universe.",
                   "Time is running out, and the nearest help is {distance} away.", "Nothing about the alien signal makes sense."],
        "closing": ["Hard science fiction with a human heart.", "A mind-bending space opera.", "Smart, tense and unsettling science fiction."],
        "slots": {"Ship": ["Meridian", "Long Quiet", "Heliotrope", "Perihelion"], "planet": ["Kepler-9", "Europa", "Mars", "Tau Ceti", "Titan"],
                  "event": ["Collapse", "First Contact", "Singularity", "Long Night"], "year_future": ["2189", "2312", "2450", "3001"],
                  "ai": ["HALCYON", "Mother", "Sable", "ORIN"], "distance": ["nine light-years", "three centuries", "a galaxy"]},
    },
    "Mystery": {
        "titles": ["Death at {village}", "Murder at the {venue}", "The {village} Poisoner", "A Body in the {spot}", "Miss {surname} Investigates"],
        "opening": ["When {crime} in the sleepy village of {village}, {sleuth} starts asking questions.",
                    "{village} is a quiet English village, until {crime}.",
                    "Retired schoolteacher {Name} {surname} only wanted a peaceful life in {village}; then {crime}."],
        "middle": ["Everyone at the {venue} has a secret, and one of them is a murderer.", "There are {n} suspects, one {clue} and a killer still in the village.",
                   "With the help of her cat and the local vicar, the detective must solve the case before the next village fete."],
        "closing": ["A cosy murder mystery full of tea, gossip and red herrings.", "A classic whodunnit in the golden-age tradition.",
                    "A charming village mystery with a twist you won't see coming."],
        "slots": {"village": ["Little Hambleton", "Upper Marsham", "Kings Barrow", "Fenwick St Mary", "Ashby Cross", "Thornbury-on-Wold"],
                  "venue": ["Vicarage", "Manor House", "Village Fete", "Flower Show", "Old Rectory", "Tea Shop"],
                  "spot": ["Bell Tower", "Rose Garden", "Library", "Duck Pond"],
                  "crime": ["the vicar is found dead in the bell tower", "a body turns up at the summer fete", "the squire is poisoned at his own dinner party",
                            "a famous novelist is murdered in the library"],
                  "sleuth": ["amateur sleuth {Name} {surname}", "the nosy postmistress", "a retired detective inspector", "the village bookseller"],
                  "n": ["five", "six", "seven"], "clue": ["missing teacup", "torn letter", "muddy boot print", "stopped clock"]},
    },
    "Thriller": {
        "titles": ["The {codename} {dossier}", "{hours} Hours in {city}", "A Spy in {city2}", "The {city} Safe House", "Kill Switch {codename}"],
        "opening": ["Former agent {Name} {surname} has {hours} hours to stop a conspiracy that reaches {target}.",
                    "A stolen {device}, a dead informant and a city about to burn.", "When her husband vanishes, {Name} discovers he was never who he said."],
        "middle": ["Trust no one: not the police, not the government, not even family.", "The chase runs from {city} to {city2}.",
                   "Every hour brings a new betrayal."],
        "closing": ["A relentless, pulse-pounding thriller.", "A twisty psychological thriller.", "Fast, brutal and impossible to put down."],
        "slots": {"codename": ["Cobalt", "Nightjar", "Orpheus", "Zero", "Halcyon"],
                  "dossier": ["File", "Dossier", "Cipher", "Directive", "Exchange"], "hours": ["24", "48", "72"], "target": ["Downing Street", "the White House", "the Kremlin"],
                  "device": ["hard drive", "nuclear trigger", "passport", "ledger"], "city": ["Berlin", "Lisbon", "Istanbul", "London"],
                  "city2": ["Moscow", "Tangier", "Washington", "Hong Kong"]},
    },
    "Romance": {
        "titles": ["Love in {place}", "The {job}'s Proposal", "One Summer in {place}", "Falling for {name2}", "Second Chances in {place}"],
        "opening": ["{Name} swore off love, until a {job} with a crooked smile walked into her {shop}.",
                    "A fake engagement, a family wedding in {place}, and two people who cannot stand each other.",
                    "Ten years after their first kiss, {Name} and {name2} meet again in {place}."],
        "middle": ["Sparks fly, and so do the arguments.", "But hearts, like {shop}s, are easily broken.", "Some love stories deserve a second chapter."],
        "closing": ["A warm, witty romantic comedy.", "A swoon-worthy love story with a happy ending.", "Heartfelt romance that will make you laugh and cry."],
        "slots": {"place": ["Paris", "Cornwall", "Tuscany", "the Highlands", "New York"], "job": ["baker", "vet", "duke", "chef", "firefighter"],
                  "shop": ["bakery", "bookshop", "flower shop", "cafe"], "name2": ["Jack", "Leo", "Sebastian", "Nate", "Gabriel"]},
    },
    "Historical fiction": {
        "titles": ["The {trade}'s Daughter", "A {season} in {city}", "The Girl from {city}", "Letters from the {war}"],
        "opening": ["{city}, {era}: {Name}, a {trade}'s daughter, risks everything to {goal}.",
                    "Told through letters written during the {war}, this is the story of two sisters divided by war.",
                    "In the court of {ruler}, a servant overhears a secret that could topple a dynasty."],
        "middle": ["Richly detailed and meticulously researched.", "A forgotten chapter of history brought vividly to life."],
        "closing": ["Sweeping historical fiction.", "A moving novel of love and survival in wartime.", "An unforgettable historical epic."],
        "slots": {"city": ["London", "Paris", "Venice", "Vienna", "Edinburgh"], "era": ["1666", "1789", "1914", "1942", "1851"],
                  "trade": ["Clockmaker", "Printer", "Silk Weaver", "Apothecary", "Glassblower"], "season": ["Winter", "Summer"],
                  "war": ["Great War", "Blitz", "Civil War", "Napoleonic Wars"], "ruler": ["Elizabeth I", "Henry VIII", "Louis XIV", "the Tudors"],
                  "goal": ["hide a refugee child", "open her own print shop", "find her missing brother", "spy for the Resistance"]},
    },
    "Biography": {
        "titles": ["{Name} {surname}: A Life", "The Woman Who {feat}", "Becoming {Name}", "An Uncommon {role}"],
        "opening": ["The remarkable life of {Name} {surname}, the {role} who {feat_lower}.",
                    "Drawing on private letters and diaries, this biography tells the true story of a pioneering {role}.",
                    "Born in poverty in {city}, {Name} {surname} became one of the most celebrated {role}s of the century."],
        "middle": ["An intimate portrait of ambition, scandal and genius.", "Based on years of archival research and interviews."],
        "closing": ["A definitive biography.", "An inspiring true story.", "A vivid life story, brilliantly told."],
        "slots": {"role": ["composer", "surgeon", "aviator", "explorer", "painter", "mathematician"],
                  "feat": ["Flew Alone", "Mapped the Arctic", "Changed Medicine", "Broke the Code"],
                  "feat_lower": ["flew solo across the Atlantic", "mapped the Arctic", "changed modern medicine", "broke the enemy's code"],
                  "city": ["Glasgow", "Naples", "Lagos", "Manchester", "Dublin"]},
    },
    "History": {
        "titles": ["The Rise and Fall of {empire}", "The {century} Century: A New History", "The {thing} That Made the Modern World", "Empire of {material}"],
        "opening": ["A sweeping narrative history of {empire}, from its origins to its collapse.",
                    "How did {thing_lower} shape the modern world? This history of the {century} century tells the story.",
                    "Historian {Name} {surname} retells the story of {event}."],
        "middle": ["Drawing on new sources, it overturns what we thought we knew.", "Kings, merchants, soldiers and ordinary people all have a voice."],
        "closing": ["Authoritative, gripping narrative history.", "Popular history at its very best.", "A landmark work of history."],
        "slots": {"empire": ["Rome", "the Ottomans", "Byzantium", "the Mongols", "the British Empire"], "century": ["Eighteenth", "Fourteenth", "Twentieth"],
                  "thing": ["Cotton", "Spice", "Railway", "Printing Press"], "thing_lower": ["cotton", "the spice trade", "the railway", "the printing press"],
                  "material": ["Salt", "Silver", "Tea", "Sugar"], "event": ["the French Revolution", "the Black Death", "the Industrial Revolution", "the fall of Constantinople"]},
    },
    "Science": {
        "titles": ["The Hidden Life of {subject}", "A Short History of {subject}", "Why {question}", "The {subject} Code", "{Name} {surname} on {subject}"],
        "opening": ["Physicist {Name} {surname} explains {topic} in clear, witty prose.",
                    "What do {subject} tell us about ourselves? A popular science tour of {topic}.",
                    "From the Big Bang to black holes, a guide to {topic} for the curious reader."],
        "middle": ["No equations, just big ideas.", "Packed with experiments, discoveries and the scientists behind them."],
        "closing": ["Popular science at its most accessible.", "Mind-expanding science writing.", "A fascinating journey to the frontiers of science."],
        "slots": {"subject": ["Cells", "Stars", "Genes", "Bacteria", "Atoms", "Brains"], "question": ["We Sleep", "Time Flows Forward", "Stars Die"],
                  "topic": ["quantum physics", "evolution", "the human brain", "climate science", "the cosmos", "genetics"]},
    },
    "Cookery": {
        "titles": ["{cuisine} at Home", "The {adjective} Kitchen", "{number} Ways with {ingredient}", "Simple {cuisine} Suppers"],
        "opening": ["Over {number} recipes for {cuisine} home cooking, from quick weeknight suppers to feasts.",
                    "Chef {Name} {surname} shares the recipes of their grandmother's kitchen in {place}.",
                    "A cookbook celebrating {ingredient}, with seasonal recipes and beautiful photography."],
        "middle": ["Every recipe has been tested in an ordinary home kitchen.", "Includes baking, breads and desserts."],
        "closing": ["A cookbook to splash sauce on.", "Easy, delicious food for every day.", "Recipes to cook again and again."],
        "slots": {"cuisine": ["Italian", "Middle Eastern", "Vegetarian", "Japanese", "Mexican", "French"],
                  "adjective": ["Green", "Slow", "Sunday", "Little", "Hungry"], "number": ["50", "80", "100", "120"],
                  "ingredient": ["Lemons", "Tomatoes", "Rice", "Chocolate", "Beans"], "place": ["Sicily", "Beirut", "Oaxaca", "Osaka", "Provence"]},
    },
    "Travel": {
        "titles": ["Walking the {route}", "A Year in {country}", "Slow Train to {city}", "The Road to {city}"],
        "opening": ["Travel writer {Name} {surname} sets off on foot along the {route}.",
                    "By slow train, bus and borrowed bicycle, a journey across {country} to {city}.",
                    "An armchair traveller's guide to {country}: its landscapes, food and people."],
        "middle": ["Part memoir, part guidebook.", "Full of chance encounters and wrong turns."],
        "closing": ["Travel writing that makes you want to pack a bag.", "A warm, funny journey.", "A lyrical travelogue."],
        "slots": {"route": ["Camino", "Silk Road", "Pennine Way", "Danube"], "country": ["Japan", "Patagonia", "Iceland", "Morocco", "India"],
                  "city": ["Samarkand", "Kyoto", "Timbuktu", "Lisbon", "Tbilisi"]},
    },
    "Poetry": {
        "titles": ["{image} and Other Poems", "Poems for {theme_short}", "The {season} Notebook", "Salt and {image}", "A {season} of {image}"],
        "opening": ["A collection of poems about {theme}.", "In spare, luminous verse, {Name} {surname} writes of {theme}.",
                    "Sonnets, elegies and prose poems on {theme}."],
        "middle": ["Each poem is a small act of attention.", "Lyrical, tender and precise."],
        "closing": ["A poetry collection to read slowly.", "Poems to return to.", "A major new voice in poetry."],
        "slots": {"image": ["Rain", "Light", "Moths", "Tides", "Birdsong"], "season": ["Winter", "Autumn", "Spring"],
                  "theme": ["grief and memory", "the sea", "motherhood", "the natural world", "love and loss"],
                  "theme_short": ["the Sea", "Mothers", "Lost Things", "the Dark", "Small Hours"]},
    },
    "Children's": {
        "titles": ["{Animal} Goes to {place}", "The {adjective} {Animal}", "{Name} and the Magic {thing}", "Where Is {Animal}?"],
        "opening": ["{Animal} the {adjective} {animal} wants to find the way to {place}.",
                    "A picture book about {Name}, a little girl who finds a magic {thing_lower} in the garden.",
                    "Bedtime is never boring when {Animal} is around."],
        "middle": ["With bright illustrations on every page.", "Perfect for reading aloud."],
        "closing": ["A funny picture book for children aged 3 to 7.", "A heartwarming story for young readers.", "A classic children's adventure."],
        "slots": {"Animal": ["Bramble", "Pip", "Mister Fox", "Little Owl", "Hugo"], "animal": ["hedgehog", "rabbit", "fox", "owl", "bear"],
                  "adjective": ["Grumpy", "Sleepy", "Very Brave", "Smallest"], "place": ["the Moon", "the Seaside", "School", "the Big City"],
                  "thing": ["Umbrella", "Paintbrush", "Teapot", "Kite"], "thing_lower": ["umbrella", "paintbrush", "teapot", "kite"]},
    },
    "Self-help": {
        "titles": ["The {number}-Minute {habit}", "Quiet Your {mind}", "Small {noun}s, Big Life", "The Art of {noun}", "The {noun} Cure"],
        "opening": ["Psychologist {Name} {surname} shows how small daily habits can {benefit}.",
                    "A practical guide to {topic}, with exercises for every day.", "Feeling stuck? This book will help you {benefit}."],
        "middle": ["Based on the latest research in psychology.", "Full of simple steps you can start today."],
        "closing": ["A life-changing self-help book.", "Wise, kind and practical.", "The self-help classic everyone is talking about."],
        "slots": {"number": ["Five", "Ten", "Two"], "habit": ["Morning", "Habit", "Reset"], "mind": ["Mind", "Inner Critic", "Busy Brain", "Worries"], "noun": ["Habit", "Step", "Kindness", "Rest", "Focus"],
                  "benefit": ["reduce anxiety", "sleep better", "find calm", "build confidence"], "topic": ["mindfulness", "resilience", "productivity", "self-compassion"]},
    },
    "Business": {
        "titles": ["The {adjective} Company", "Lead Like {Name}", "From Zero to {number}", "The {noun} Advantage"],
        "opening": ["What makes some companies {outcome}? {Name} {surname} studied {number} firms to find out.",
                    "A founder's honest account of building a start-up from a garage to {outcome_noun}.",
                    "A practical guide to {topic} for managers and entrepreneurs."],
        "middle": ["Packed with case studies and lessons learned the hard way.", "Strategy, leadership and a little luck."],
        "closing": ["Essential business reading.", "A must-read for entrepreneurs.", "Sharp, practical business thinking."],
        "slots": {"adjective": ["Lean", "Patient", "Curious", "Resilient"], "number": ["100", "500", "a Billion"], "noun": ["Trust", "Focus", "Data", "Culture"],
                  "outcome": ["last for a century", "grow so fast", "fail so suddenly"], "outcome_noun": ["a global brand", "the stock market"],
                  "topic": ["negotiation", "leadership", "marketing", "strategy"]},
    },
}  # fmt: skip
#: The second genre a book may also carry, so the pairs stay plausible (a romance may be historical, not a cookbook).
NEIGHBOURS = {
    "Fantasy": ("Children's", "Science fiction", "Romance"), "Science fiction": ("Thriller", "Fantasy"),
    "Mystery": ("Thriller", "Historical fiction"), "Thriller": ("Mystery", "Science fiction"),
    "Romance": ("Historical fiction", "Fantasy"), "Historical fiction": ("Romance", "Mystery"),
    "Biography": ("History", "Business"), "History": ("Biography", "Travel", "Science"), "Science": ("History", "Self-help"),
    "Cookery": ("Travel",), "Travel": ("History", "Cookery"), "Poetry": ("Children's",), "Children's": ("Fantasy", "Poetry"),
    "Self-help": ("Business", "Biography"), "Business": ("Self-help", "Biography"),
}  # fmt: skip
#: Genres more often read by the young and by the old, so a reader's age says something about their taste.
YOUNG_GENRES = ("Fantasy", "Science fiction", "Romance", "Children's", "Self-help")
OLD_GENRES = ("History", "Biography", "Mystery", "Historical fiction", "Poetry", "Travel")


def _pick(rng: np.random.Generator, options: list | tuple | dict) -> str:
    if isinstance(options, dict):
        return str(rng.choice(list(options), p=list(options.values())))
    return str(options[rng.integers(len(options))])


_SMALL_WORDS = {"a", "an", "and", "at", "for", "from", "in", "of", "on", "the", "to", "with"}


def _title_case(title: str) -> str:
    """Capitalise each word but the small ones (a slot may bring "baker" into "The Baker's Proposal")."""
    words = title.split(" ")
    return " ".join(w if (i and w in _SMALL_WORDS) or not w else w[0].upper() + w[1:] for i, w in enumerate(words))


def compose_book(rng: np.random.Generator, genre: str) -> tuple[str, str]:
    """A title and a blurb of 1–3 sentences, every slot drawn once so the sentences agree."""
    spec = GENRES[genre]
    fill = {key: _pick(rng, values) for key, values in spec["slots"].items()}
    fill |= {"Name": _pick(rng, FIRST_NAMES), "surname": _pick(rng, SURNAMES)}
    # A slot may hold other slots ("amateur sleuth {Name} {surname}").
    fill = {key: value.format(**fill) for key, value in fill.items()}
    sentences = [_pick(rng, spec["opening"])]
    if rng.random() < 0.6:
        sentences.append(_pick(rng, spec["middle"]))
    if rng.random() < 0.7:
        sentences.append(_pick(rng, spec["closing"]))
    return _title_case(_pick(rng, spec["titles"]).format(**fill)), " ".join(s.format(**fill) for s in sentences)


def bookshop_tables(seed: int = 0) -> dict[str, pd.DataFrame]:
    """The bookshop's items, users and interactions (see :func:`write_bookshop`)."""
    rng = np.random.default_rng(seed)
    genres = list(GENRES)
    books, seen = [], set()
    for item_id in range(1, N_BOOKS + 1):
        main = genres[(item_id - 1) % len(genres)] if item_id <= 2 * len(genres) else _pick(rng, genres)
        second = _pick(rng, NEIGHBOURS[main]) if rng.random() < 0.25 else None
        for _ in range(50):
            title, blurb = compose_book(rng, main)
            if title not in seen:
                break
        else:  # a sequel: "Death at Kings Barrow II"
            title = next(
                f"{title} {numeral}"
                for numeral in ("II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")
                if f"{title} {numeral}" not in seen
            )
        seen.add(title)
        year = int(np.clip(2024 - rng.exponential(14 if main != "Poetry" else 40), 1900, 2024))
        books.append({"item_id": item_id, "title": title, "text": blurb, "genres": "|".join(g for g in (main, second) if g),
                      "format": _pick(rng, FORMATS), "language": _pick(rng, LANGUAGES), "year": year})  # fmt: skip
    items = pd.DataFrame(books)

    # Each reader: an age, a region, and a taste concentrated on one to three genres (tilted by age).
    ages = np.clip(rng.normal(44, 16, N_READERS), 16, 88).round().astype(int)
    taste = rng.dirichlet(np.full(len(genres), TASTE_CONCENTRATION), size=N_READERS)
    tilt = np.array([[1.0 + (g in YOUNG_GENRES) * (a < 35) + (g in OLD_GENRES) * (a > 55) for g in genres] for a in ages])
    taste = taste * tilt
    taste /= taste.sum(axis=1, keepdims=True)
    users = pd.DataFrame({"user_id": np.arange(1, N_READERS + 1), "age": ages, "region": [_pick(rng, REGIONS) for _ in range(N_READERS)]})

    # A reader picks a book in proportion to taste for its genres (the second counts half) times its popularity.
    membership = np.zeros((N_BOOKS, len(genres)))
    for row, names in enumerate(items["genres"]):
        for weight, name in zip((1.0, 0.5), names.split("|")):
            membership[row, genres.index(name)] = weight
    popularity = rng.lognormal(0.0, 0.8, N_BOOKS)
    activity = rng.lognormal(0.0, 0.7, N_READERS)
    counts = np.clip(np.round(activity / activity.sum() * N_READS), 2, 60).astype(int)
    start, span = 1_640_995_200, 3 * 365 * 86_400  # 2022-01-01, three years of sales
    rows = []
    for reader in range(N_READERS):
        weights = (taste[reader] @ membership.T + 0.01) * popularity
        chosen = rng.choice(N_BOOKS, size=counts[reader], replace=False, p=weights / weights.sum())
        for item in chosen:
            rows.append((reader + 1, int(item) + 1, start + int(rng.integers(span))))
    interactions = pd.DataFrame(rows, columns=["user_id", "item_id", "timestamp"]).sort_values("timestamp", kind="stable")
    return {"items": items, "users": users, "interactions": interactions.reset_index(drop=True)}


def write_bookshop(folder: Path | str = DEFAULT_FOLDER, seed: int = 0, with_users: bool = True) -> Path:
    """Write the example bookshop as a generic catalogue folder and return the folder.

    About 300 invented books (``items.csv``: title, a templated blurb in ``text``, ``|``-separated
    ``genres``, ``format``, ``language``, ``year``), 800 readers (``users.csv``: ``age``,
    ``region``; left out when ``with_users`` is false) and about 5,000 purchases
    (``interactions.csv``: implicit, so no ``rating`` column), plus ``catalogue.json`` naming
    the noun. Readers mostly buy books of the genres they like, weighted by each book's
    popularity, so both the purchase history and the blurbs carry the signal. The same seed
    writes the same bytes.

    Example:
        >>> from recsys.data import load_path
        >>> folder = write_bookshop("/tmp/bookshop")  # doctest: +SKIP
        >>> load_path(folder).nouns  # doctest: +SKIP
        'books'
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    tables = bookshop_tables(seed)
    if not with_users:
        tables.pop("users")
        (folder / "users.csv").unlink(missing_ok=True)
    for name, frame in tables.items():
        frame.to_csv(folder / f"{name}.csv", index=False)
    (folder / "catalogue.json").write_text(json.dumps(CATALOGUE, indent=2) + "\n", encoding="utf-8")
    return folder


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m recsys.examples", description="Write the made-up example bookshop catalogue.")
    parser.add_argument("folder", nargs="?", default=str(DEFAULT_FOLDER), help=f"where to write it (default {DEFAULT_FOLDER})")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--without-users", action="store_true", help="leave out users.csv (users are optional in the format)")
    args = parser.parse_args(argv)
    folder = write_bookshop(args.folder, seed=args.seed, with_users=not args.without_users)
    from recsys.data import load_path

    dataset = load_path(folder)
    print(f"wrote {folder}: {dataset.n_items:,} {dataset.nouns}, {dataset.n_users:,} readers, {len(dataset.ratings):,} interactions")
    return 0


if __name__ == "__main__":
    sys.exit(main())
