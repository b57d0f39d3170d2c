"""A synthetic news archive in IPTC ninjs 2.x, for benchmarks and load tests.

Everything is invented (names, places, prose) and deterministic: article *i*
depends only on the seed and *i*, and story clusters are planned in windows of
`WINDOW` consecutive articles, so the first K articles of any corpus are the
corpus of K articles (`offset` generates a later slice on its own).

The shape follows a real archive closely enough to stress what matters:

- text: headline 6-14 words, deck 18-40, body 350-1,200 words in paragraphs
  with a few crossheads and links;
- 1-3 authors from a pool of `AUTHORS`, Zipf-skewed (a few prolific writers);
- 2-8 tags from a vocabulary of `TAGS`, Zipf-skewed (a handful on a large share
  of articles, a long tail used a few times), each section leaning on its own
  part of the vocabulary; about 5 % of uses spelled differently (lower case,
  Title Case, upper case, stray spaces), as wire feeds do;
- one of 12 sections (ninjs `genres`), dates over three years;
- with `stories=True`, about 30 % of articles belong to story clusters: 4-30
  articles about one developing story, dated within a few weeks, sharing 1-3
  rare story tags (each member carries each with probability 0.75) and a
  common topical tag or two. `truth` lists them, so related links can be
  scored against known answers.
"""

import bisect
import itertools
import json
import math
import random
from datetime import UTC, datetime, timedelta

WINDOW = 1000
AUTHORS = 300
TAGS = 3000
STORY_SHARE = 0.30
PROSE_RUN = 200_000
START = datetime(2023, 1, 1, 6, 0, tzinfo=UTC)
DAYS = 3 * 365


def _words(text):
    return text.split()


def _lines(text):
    return [line.strip() for line in text.splitlines() if line.strip()]


SECTIONS = [
    "News",
    "Politics",
    "World",
    "Business",
    "Technology",
    "Science",
    "Health",
    "Environment",
    "Culture",
    "Sport",
    "Opinion",
    "Travel",
]

FIRST_NAMES = _words("""
Ada Alba Alma Amos Anika Ansel Aris Asha Astrid Aurel Basil Bea Bram Brenna
Caius Calla Cato Cedric Celia Cleo Cora Cyrus Dara Delia Dorian Edda Edric Elin
Elio Elsa Emrys Enid Ezra Fenna Ferris Fleur Flynn Freya Gideon Greta Hale
Hana Hart Hedda Ilse Imre Ines Iona Ivo Jago Jana Jonah Juno Kai Kasia Keir
Lark Leda Lior Lotte Lucan Mabel Maren Milo Mira Nadia Nell Nico Nina Odile
Oren Orla Otto Pavel Petra Piet Quinn Rafe Rhea Rian Rosa Rufus Saskia Selma
Silas Sunniva Tamsin Teo Thea Tobin Ulla Uma Vera Wren Xavi Yara Yusuf Zora
""")

SURNAMES = _words("""
Abernathy Ashdown Bellweather Blackwood Brightmore Calloway Carrow Colquhoun
Crane Dalgleish Davenport Dunmore Eastwick Ellery Fairbairn Farrow Fenwick
Galloway Garside Greaves Hallam Harker Hawthorne Holloway Inchbald Ingleby
Kettering Kinloch Lacey Langridge Lockhart Lowther Marchetti Merriweather
Mortimer Nettleton Northcott Oakes Ormerod Pemberton Penhale Quarrie Radcliffe
Ravensworth Rowntree Sandoval Scarlett Selwyn Sheringham Stanbury Tallis
Thackeray Thorne Trevelyan Underhill Varga Vickery Wainwright Warrender
Whitlock Winterbourne Wolstenholme Yarrow Yeardley
""")

PLACE_HEADS = _words("""
Ash Bar Bel Black Bram Brook Burn Cal Car Chel Clay Craw Dun East Elm Fair
Fen Glen Gran Hal Hart High Holm Kin Lang Lark Long Marl Mill Mor New North
Oak Pen Red Ros Salt Shel Stan Stoke Thorn Wal West Whit Wick Win Wyn
""")

PLACE_TAILS = _words("""
bury by caster chester combe dale den don field ford gate ham haven hill holt
hurst ley minster mouth ness port stead stone thorpe ton wick worth
""")

TOPICS = _lines("""
courts elections housing schools universities hospitals NHS climate energy
transport railways airports trade inflation interest rates unemployment
wages pensions taxation budget banking insurance retail property farming
fishing water drought floods wildfires storms wildlife forests oceans space
artificial intelligence cybersecurity privacy social media smartphones
semiconductors startups telecoms broadband vaccines cancer mental health
obesity dementia social care policing prisons immigration asylum defence
diplomacy sanctions refugees human rights protests strikes trade unions
local government devolution parliament constitution monarchy religion
football cricket rugby tennis athletics cycling golf boxing swimming
Olympics film television music theatre literature art museums festivals
architecture fashion food restaurants tourism aviation cruise ships hotels
""")

TOPIC_WORDS = [w for line in TOPICS for w in line.split() if w]

ORG_KINDS = """
Council|Borough Council|Water|Rail|Bank|Building Society|Hospital Trust|
University|Football Club|Cricket Club|Energy|Airport|Port Authority|Police|
Fire Service|Chamber of Commerce|Theatre|Museum|Festival|Housing Association
""".replace("\n", "").split("|")

THEMES = _words("""
reform review plan strategy crisis row deal dispute investigation funding cuts
shortage boom recovery ban vote merger closure expansion report
""")

STORY_KINDS = [
    ("{surname} fraud trial", "courts", "{place} Crown Court"),
    ("Storm {first}", "weather", "{place} floods"),
    ("{place} by-election", "elections", "{place} North"),
    ("{place} mayoral race", "local government", "{place} City Hall"),
    ("{surname} inquiry", "public inquiries", "{place} Hospital"),
    ("{place} rail strike", "strikes", "{place} Rail"),
    ("{surname} takeover battle", "mergers", "{surname} Holdings"),
    ("{surname} data breach", "cybersecurity", "{surname} Systems"),
    ("{place} outbreak", "public health", "{place} Infirmary"),
    ("{place} wildfire", "wildfires", "{place} Forest"),
    ("{surname} transfer saga", "football", "{place} Rovers"),
    ("{surname} space mission", "space", "{surname} Orbital"),
    ("{place} festival row", "festivals", "{place} Festival"),
    ("{place} ceasefire talks", "diplomacy", "{place} Accord"),
    ("{surname} expenses scandal", "parliament", "{surname} expenses"),
]

# Prose: a newspaper's most frequent words, drawn with a Zipf-like skew.
PROSE = _words("""
the of to and a in that is for on it was with as said he at by from his be
have has are but not an they this had their were been which will would who
she more after about its over also new year one two first last people than
government minister council city police court report plan week month today
yesterday could should may says told public local national officials spokesman
spokeswoman statement million billion per cent years time under while since
before during against between including because however according residents
cost costs price prices money support opposition leader party members vote
decision case evidence judge jury hearing claims meeting board company firm
market shares investors workers staff union pay deal talks agreement review
services service health school schools children families community area region
town village centre north south east west street road bridge station airport
water power energy weather rain flood fire storm river coast park season match
team club players coach goal win lost game league final record figures data
research study scientists experts university hospital patients doctors nurses
""")


def zipf_cum_weights(n, s=1.0, q=2.7):
    """Cumulative Zipf-Mandelbrot weights 1/(rank + q)^s for ranks 1..n."""
    return list(itertools.accumulate(1.0 / (r + q) ** s for r in range(1, n + 1)))


def pick(rng, items, cum):
    return items[bisect.bisect(cum, rng.random() * cum[-1])]


def _vary(rng, name):
    """A tag as a feed might spell it: mostly as is, sometimes not."""
    roll = rng.random()
    if roll >= 0.05:
        return name
    if roll < 0.02:
        return name.lower()
    if roll < 0.035:
        return name.title()
    if roll < 0.042:
        return name.upper()
    return f"{name} " if roll < 0.046 else name.replace(" ", "  ", 1) + " "


class Corpus:
    """The vocabularies and story plan of one seed; `article(i)` is pure."""

    def __init__(self, seed=1, stories=False):
        self.seed = seed
        self.stories = stories
        rng = random.Random(f"newsroom-corpus:{seed}:vocab")
        self.authors = self._people(rng, AUTHORS)
        self.author_cum = zipf_cum_weights(len(self.authors), s=0.9, q=4)
        self.tags = self._tag_vocabulary(rng)
        self.tag_cum = zipf_cum_weights(len(self.tags))
        # Each section leans on its own slice of the vocabulary (its own
        # people, places and topics), still Zipf-skewed within it.
        by_section = [[] for _ in SECTIONS]
        for rank, name in enumerate(self.tags):
            by_section[rank % len(SECTIONS)].append(name)
        self.section_tags = by_section
        self.section_cum = [zipf_cum_weights(len(t)) for t in by_section]
        self.section_cum_weights = list(
            itertools.accumulate([1.6, 1.5, 1.3, 1.3, 1.0, 0.7] + [0.8] * 6)
        )
        # A long run of prose drawn once per seed; articles take slices of it
        # (drawing every word anew is the slow part of generating).
        self.prose = rng.choices(
            PROSE, cum_weights=zipf_cum_weights(len(PROSE), s=1.0, q=8), k=PROSE_RUN
        )
        self._windows = {}

    # Vocabularies

    @staticmethod
    def _people(rng, n):
        names = set()
        while len(names) < n:
            names.add(f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}")
        people = sorted(names)
        rng.shuffle(people)
        return people

    @staticmethod
    def _places(rng, n):
        places = {h + t for h in PLACE_HEADS for t in PLACE_TAILS}
        return rng.sample(sorted(places), n)

    def _tag_vocabulary(self, rng):
        tags = set()
        ordered = []

        def add(name):
            if name.casefold() not in tags:
                tags.add(name.casefold())
                ordered.append(name)

        # Topics first: the common tags are topics ("courts", "housing").
        topics = [t for line in TOPICS for t in _split_topics(line)]
        rng.shuffle(topics)
        for topic in topics:
            add(topic)
        places = self._places(rng, 600)
        people = self._people(rng, 1300)
        for place in places[:500]:
            add(place)
        for place in places[500:]:
            add(f"{place} {rng.choice(ORG_KINDS)}")
        for topic in TOPIC_WORDS:
            add(f"{topic} {rng.choice(THEMES)}")
        for person in people:
            add(person)
        while len(ordered) < TAGS:
            add(f"{rng.choice(places)} {rng.choice(THEMES)}")
        head, tail = ordered[:40], ordered[40:TAGS]
        rng.shuffle(tail)
        return head + tail

    # Stories

    def window(self, w):
        """The stories of window `w`: {index: (story, member number)} and details."""
        if w not in self._windows:
            self._windows[w] = self._plan_window(w)
        return self._windows[w]

    def _plan_window(self, w):
        rng = random.Random(f"newsroom-corpus:{self.seed}:stories:{w}")
        slots = list(range(w * WINDOW, (w + 1) * WINDOW))
        rng.shuffle(slots)
        wanted = int(WINDOW * STORY_SHARE)
        members, stories = {}, {}
        k = 0
        while wanted > 0:
            size = min(wanted, int(math.exp(rng.uniform(math.log(4), math.log(31)))))
            if size < 2:
                break
            story_id = f"story-{w:04d}-{k:02d}"
            stories[story_id] = self._story(rng, story_id, size)
            for n in range(size):
                members[slots.pop()] = (story_id, n)
            wanted -= size
            k += 1
        return members, stories

    def _story(self, rng, story_id, size):
        first, surname = rng.choice(FIRST_NAMES), rng.choice(SURNAMES)
        place = rng.choice(PLACE_HEADS) + rng.choice(PLACE_TAILS)
        # Story names are unique: a two-letter suffix keeps stories apart.
        _, w, k = story_id.split("-")
        token = _letters(int(w) * 100 + int(k))
        surname = f"{surname[:4]}{token}"
        place = f"{place[:5]}{token}"
        values = {"first": first, "surname": surname, "place": place}
        name, topic, extra = (part.format(**values) for part in rng.choice(STORY_KINDS))
        person = f"{first} {surname}"
        story_tags = [name, person, extra][: rng.choice([1, 2, 2, 3, 3])]
        section = rng.randrange(len(SECTIONS))
        common = [topic] + rng.sample(
            self.section_tags[section][:15], rng.choice([0, 1])
        )
        return {
            "name": name,
            "person": person,
            "tags": story_tags,
            "common": common,
            "section": section,
            "day": rng.uniform(0, DAYS - 30),
            "span": rng.uniform(2, 28),
            "size": size,
        }

    # Articles

    def article(self, i):
        """(ninjs dict, story id or None) for article number `i` (0-based)."""
        rng = random.Random(f"newsroom-corpus:{self.seed}:article:{i}")
        section = bisect.bisect(
            self.section_cum_weights, rng.random() * self.section_cum_weights[-1]
        )
        day = rng.uniform(0, DAYS)
        story = None
        if self.stories:
            members, stories = self.window(i // WINDOW)
            if i in members:
                story_id, _ = members[i]
                story = stories[story_id]
                day = story["day"] + rng.uniform(0, story["span"])
                if rng.random() < 0.8:
                    section = story["section"]
        tags = self._tags(rng, section, story)
        published = START + timedelta(days=day)
        headline = self._headline(rng, story)
        n_authors = 1 if rng.random() < 0.72 else (2 if rng.random() < 0.75 else 3)
        authors = []
        while len(authors) < n_authors:
            name = pick(rng, self.authors, self.author_cum)
            if name not in authors:
                authors.append(name)
        stamp = published.isoformat(timespec="seconds").replace("+00:00", "Z")
        updated = published + timedelta(minutes=rng.choice([0, 0, 0, 12, 45, 180]))
        item = {
            "uri": f"urn:newsroom:corpus:{self.seed}:{i}",
            "type": "text",
            "version": "1",
            "firstcreated": stamp,
            "versioncreated": updated.isoformat(timespec="seconds").replace(
                "+00:00", "Z"
            ),
            "pubstatus": "usable",
            "language": "en",
            "headlines": [{"role": "main", "value": headline}],
            "descriptions": [
                {
                    "role": "summary",
                    "contenttype": "text/plain",
                    "value": self._sentence(rng, 18, 40, story),
                }
            ],
            "bodies": [
                {
                    "role": "main",
                    "contenttype": "text/html",
                    "value": self._body(rng, story),
                }
            ],
            "by": "By " + _join(authors),
            "subjects": [{"name": t} for t in tags],
            "genres": [{"name": SECTIONS[section]}],
        }
        return item, (story and story_id)

    def _tags(self, rng, section, story):
        count = rng.choice([2, 3, 3, 4, 4, 4, 5, 5, 6, 7, 8])
        chosen = []
        if story:
            chosen += [t for t in story["tags"] if rng.random() < 0.75]
            chosen += [t for t in story["common"] if rng.random() < 0.5]
            chosen = chosen[:count]
        seen = {t.casefold() for t in chosen}
        while len(chosen) < count:
            if rng.random() < 0.6:
                name = pick(rng, self.section_tags[section], self.section_cum[section])
            else:
                name = pick(rng, self.tags, self.tag_cum)
            if name.casefold() not in seen:
                seen.add(name.casefold())
                chosen.append(name)
        rng.shuffle(chosen)
        return [_vary(rng, t) for t in chosen]

    def _words(self, rng, n):
        words = []
        while len(words) < n:
            start = rng.randrange(PROSE_RUN - 200)
            words += self.prose[start : start + min(n - len(words), 150)]
        return words

    def _sentence(self, rng, low, high, story=None):
        words = self._words(rng, rng.randint(low, high))
        if story and rng.random() < 0.5:
            words.insert(rng.randrange(len(words)), story["name"])
        return " ".join(words).capitalize() + "."

    def _headline(self, rng, story):
        words = self._words(rng, rng.randint(6, 12))
        if story and rng.random() < 0.85:
            lead = rng.choice([story["name"], story["person"]])
            return f"{lead}: " + " ".join(words[:8])
        noun = pick(rng, self.tags, self.tag_cum)
        return (noun + " " + " ".join(words)).capitalize()

    def _body(self, rng, story):
        target = int(math.exp(rng.uniform(math.log(350), math.log(1200))))
        words = self._words(rng, target)
        parts, at = [], 0
        while at < len(words):
            n = rng.randint(40, 120)
            chunk = words[at : at + n]
            at += n
            if story and rng.random() < 0.4:
                chunk.insert(rng.randrange(len(chunk)), story["name"])
            if rng.random() < 0.15 and len(chunk) > 6:
                k = rng.randrange(1, 6)
                link = f'<a href="https://example.org/{rng.randrange(10**6)}">'
                chunk[k] = f"{link}{chunk[k]}</a>"
            sentences, start = [], 0
            while start < len(chunk):
                length = rng.randint(8, 28)
                sentence = " ".join(chunk[start : start + length])
                sentences.append(sentence[:1].upper() + sentence[1:] + ".")
                start += length
            if parts and rng.random() < 0.12:
                parts.append(f"<h2>{self._sentence(rng, 3, 6)[:-1]}</h2>")
            parts.append("<p>" + " ".join(sentences) + "</p>")
        return "\n".join(parts)

    def stream(self, articles, offset=0):
        """(ninjs dict, story id or None) for articles offset .. articles-1."""
        for i in range(offset, articles):
            yield self.article(i)


def _split_topics(line):
    """'mental health obesity' style lines hold known multi-word topics."""
    multi = {
        "interest rates",
        "artificial intelligence",
        "social media",
        "mental health",
        "social care",
        "human rights",
        "trade unions",
        "local government",
        "cruise ships",
    }
    words, out, i = line.split(), [], 0
    while i < len(words):
        pair = " ".join(words[i : i + 2])
        if pair in multi:
            out.append(pair)
            i += 2
        else:
            out.append(words[i])
            i += 1
    return out


def _letters(n):
    """0 -> "ab", 1 -> "ac", ...: a short, unique, pronounceable-enough suffix."""
    out = ""
    while True:
        n, r = divmod(n, 26)
        out += "aeiou"[r % 5] + "bcdfghklmnprstvwz"[r % 17]
        if n == 0:
            return out


def _join(names):
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def write(out, articles, seed=1, stories=False, offset=0, truth=None):
    """Write JSON Lines to `out` (and story truth to `truth`); returns counts."""
    corpus = Corpus(seed, stories)
    written = clustered = 0
    for item, story in corpus.stream(articles, offset):
        out.write(json.dumps(item, ensure_ascii=False) + "\n")
        written += 1
        if story and truth is not None:
            truth.write(json.dumps({"uri": item["uri"], "story": story}) + "\n")
            clustered += 1
    return {"articles": written, "clustered": clustered}
