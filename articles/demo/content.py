# ruff: noqa: E501 (prose reads better unwrapped than split mid-phrase)
"""The demo newsroom: invented people, places and stories, written for the project.

Bodies are short paragraphs; a line starting with "## " is a crosshead, and
`[text](@slug)` links to another demo article (resolved when loaded).
Ages are in days before the moment the demo is first loaded.
"""

SECTIONS = [
    ("news", "News", "Aldmere and the valley: what happened today and why it matters."),
    ("politics", "Politics", "Councils, Parliament and the people who run for them."),
    ("business", "Business", "Companies, jobs, money and the local economy."),
    ("science", "Science", "Research, the environment and the sky above us."),
    ("culture", "Culture", "Music, books, theatre and the city's arts scene."),
    ("sport", "Sport", "Results, reports and the stories behind the teams."),
]

# slug, name, role, bio, has photo
AUTHORS = [
    (
        "maya-okafor",
        "Maya Okafor",
        "Chief political correspondent",
        "Maya has covered three general elections and every Aldmere council budget "
        "since 2014. Before that she reported on housing for the Valley Echo.",
        True,
    ),
    (
        "tomas-reyes",
        "Tomás Reyes",
        "Courts reporter",
        "Tomás sits in the public gallery so readers don't have to. He writes about "
        "criminal trials, inquests and the justice system.",
        True,
    ),
    (
        "helen-brandt",
        "Helen Brandt",
        "Science editor",
        "Helen trained as a geologist and still carries a hand lens. She edits the "
        "science desk and writes about climate, space and anything with data.",
        True,
    ),
    (
        "sam-whitlock",
        "Sam Whitlock",
        "Business reporter",
        "Sam covers companies, jobs and the regional economy, with a soft spot for "
        "family firms and a hard look at balance sheets.",
        False,
    ),
    (
        "priya-natarajan",
        "Priya Natarajan",
        "Environment correspondent",
        "Priya reports on water, farming and wildlife across the Kestrel Valley.",
        True,
    ),
    (
        "jonah-feld",
        "Jonah Feld",
        "Sports writer",
        "Jonah has followed Harcastle Rovers home and away for eleven seasons.",
        False,
    ),
    (
        "clara-mendes",
        "Clara Mendes",
        "Culture critic",
        "Clara reviews music, theatre and books, and hosts the paper's monthly "
        "readers' book club.",
        True,
    ),
    (
        "ewan-doyle",
        "Ewan Doyle",
        "City reporter",
        "Ewan covers transport, planning and the everyday life of Aldmere.",
        False,
    ),
    (
        "aiko-tanaka",
        "Aiko Tanaka",
        "Data journalist",
        "Aiko turns spreadsheets, freedom-of-information replies and polls into "
        "stories and charts.",
        False,
    ),
]

# Each article: slug, section, kicker, headline, deck, authors, tags, age (days),
# body; optional: status ("draft", "scheduled", "withdrawn"), updated (hours
# after publication), image (False for none), caption, reason (withdrawn).
ARTICLES = [
    # Harbour Bridge
    dict(
        slug="harbour-bridge-closed-after-cracks-found",
        section="news",
        kicker="Harbour Bridge",
        headline="Harbour Bridge closed indefinitely after inspectors find cracks in main girder",
        deck="The crossing carries 40,000 journeys a day. Engineers say it will stay shut "
        "until they know how far the damage runs.",
        authors=["ewan-doyle"],
        tags=["Aldmere Bridge", "Transport", "Aldmere"],
        age=0.1,
        updated=3,
        caption="The Harbour Bridge has linked the two halves of Aldmere since 1968.",
        body=[
            "Aldmere's Harbour Bridge was closed to all traffic early on Tuesday after "
            "a routine inspection found cracks in the steel girder that carries the "
            "main span.",
            "Police turned back the first commuters shortly after 5am. By mid-morning "
            "queues stretched along the ring road, and the council urged people to "
            "work from home where they could.",
            "## 'We will not take a chance'",
            '"We will not take a chance with people\'s lives," said Dana Price, the '
            "council's director of highways. \"The bridge stays closed until the "
            'engineers can tell us, in writing, that it is safe."',
            "Extra ferries and night buses are being added; our guide explains "
            "[how to get across the harbour](@extra-ferries-and-night-buses) while "
            "the bridge is shut.",
        ],
    ),
    dict(
        slug="extra-ferries-and-night-buses",
        section="news",
        kicker="Getting around",
        headline="Extra ferries and night buses as 40,000 daily crossings look for a way round",
        deck="The harbour ferry will run every ten minutes at peak times and two "
        "night bus routes are being added.",
        authors=["ewan-doyle"],
        tags=["Aldmere Bridge", "Transport", "Aldmere"],
        age=0.6,
        body=[
            "The harbour ferry will double its sailings from Wednesday, the council "
            "said, as the city adjusts to life without the "
            "[closed Harbour Bridge](@harbour-bridge-closed-after-cracks-found).",
            "## Ferries every ten minutes",
            "Boats will leave East Quay every ten minutes between 6am and 10am and "
            "again in the evening peak. Fares are suspended for the first week.",
            "## Two new night routes",
            "The N7 and N9 buses will run via the inland road through the night. "
            "Cyclists can use a signed route over the old swing bridge at Millpond "
            "Lane, which reopened to bikes on Monday.",
        ],
    ),
    dict(
        slug="bridge-reports-flagged-corrosion-in-2019",
        section="news",
        kicker="Analysis",
        headline="The warnings that came before: bridge reports flagged corrosion in 2019",
        deck="Inspection reports released under freedom of information show "
        "engineers raised concerns about the girder five years ago.",
        authors=["aiko-tanaka", "ewan-doyle"],
        tags=["Aldmere Bridge", "Transport", "Freedom of information"],
        age=1.5,
        body=[
            "Engineers warned the council in 2019 that corrosion on the Harbour "
            'Bridge\'s main girder was "progressing faster than modelled", according '
            "to inspection reports seen by this paper.",
            "We obtained eleven reports covering 2012 to 2023. Four mention the "
            "girder; two recommend a detailed survey that was postponed twice for "
            "lack of money.",
            "## What the council says",
            'A council spokesperson said every recommendation had been "risk '
            'assessed" and that the bridge had never been judged unsafe until '
            "[this week's inspection](@harbour-bridge-closed-after-cracks-found).",
            "The reports are published in full alongside this article. "
            '<a href="https://example.org/harbour-bridge-reports">Read the '
            "inspection reports</a>.",
        ],
    ),
    dict(
        slug="harbourside-traders-count-the-cost",
        section="business",
        kicker="Harbour Bridge",
        headline="Harbourside traders count the cost of the bridge closure",
        deck="Cafés and shops on the north quay say takings have halved since the "
        "crossing shut.",
        authors=["sam-whitlock"],
        tags=["Aldmere Bridge", "Small business", "Aldmere"],
        age=2,
        body=[
            "For eighteen years Rosa Lindahl has sold coffee to commuters walking off "
            "the Harbour Bridge. On Wednesday she sold 41 cups before lunch. A normal "
            "day is nearer 200.",
            "## 'Nobody walks past any more'",
            "Along the north quay, traders tell the same story. The bakery has cut its "
            "hours; the bike shop has closed on Mondays.",
            "The chamber of commerce wants business rates suspended while the bridge "
            'is shut. The council says it is "looking at all options". See also: '
            "[the ferries and buses laid on](@extra-ferries-and-night-buses).",
        ],
    ),
    # Wrencroft trial
    dict(
        slug="wrencroft-founder-goes-on-trial",
        section="news",
        kicker="Wrencroft trial",
        headline="Wrencroft founder goes on trial accused of hiding £180m of losses",
        deck="Gideon Wrencroft denies fraud and false accounting. The trial is "
        "expected to last ten weeks.",
        authors=["tomas-reyes"],
        tags=["Wrencroft fraud trial", "Courts", "Wrencroft Holdings"],
        age=3,
        body=[
            "The founder of Wrencroft Holdings hid losses of £180m from investors "
            "and the company's own board for more than three years, a jury at "
            "Aldmere Crown Court heard on Monday.",
            "Gideon Wrencroft, 58, denies four counts of fraud and two of false "
            "accounting.",
            "## 'A business that looked healthy and was not'",
            "Opening the prosecution case, Margaret Oyelaran KC said the company "
            '"looked healthy on paper and was not". Losses at its logistics arm '
            'were, she said, "moved from one set of books to another like furniture '
            'before an inspection".',
            "The trial continues.",
        ],
    ),
    dict(
        slug="former-finance-chief-tells-jury",
        section="news",
        kicker="Wrencroft trial",
        headline="Former finance chief tells jury she was told to 'make the numbers work'",
        deck="Lena Hartmann, Wrencroft's chief financial officer until 2022, is the "
        "prosecution's key witness.",
        authors=["tomas-reyes"],
        tags=["Wrencroft fraud trial", "Courts", "Wrencroft Holdings"],
        age=1.2,
        body=[
            "Wrencroft Holdings' former finance chief told the jury she was "
            'instructed to "make the numbers work" weeks before the company\'s 2021 '
            "results.",
            "## Emails shown to the court",
            "Lena Hartmann was shown a series of emails from the period. In one, "
            "sent late on a Sunday, the defendant wrote: \"I don't want to see that "
            'line in the accounts. Find it a home."',
            "Under cross-examination she agreed she had signed the accounts herself. "
            '"I did, and I regret it," she said.',
            "Catch up with [what we know so far](@wrencroft-trial-what-we-know).",
        ],
    ),
    dict(
        slug="wrencroft-trial-what-we-know",
        section="business",
        kicker="Explainer",
        headline="The Wrencroft trial: what we know so far",
        deck="Who is on trial, what is alleged, and why it matters to thousands of "
        "pensioners in the valley.",
        authors=["tomas-reyes", "sam-whitlock"],
        tags=["Wrencroft fraud trial", "Wrencroft Holdings", "Pensions"],
        age=0.8,
        body=[
            "## Who is on trial?",
            "Gideon Wrencroft, who built a haulage firm into one of the region's "
            "largest employers. He denies all charges.",
            "## What is alleged?",
            "That losses in the logistics business were hidden from investors and "
            "auditors between 2019 and 2022. [The trial opened](@wrencroft-founder-goes-on-trial) "
            "last week.",
            "## Why does it matter?",
            "About 6,000 former staff are members of the company pension scheme, "
            "which [is still waiting for answers](@wrencroft-pensioners-still-waiting).",
        ],
    ),
    dict(
        slug="wrencroft-pensioners-still-waiting",
        section="business",
        kicker="Pensions",
        headline="Wrencroft pensioners still waiting, two years after the collapse",
        deck="The scheme's trustees say members will get most of what they are owed, "
        "but not when.",
        authors=["sam-whitlock"],
        tags=["Wrencroft Holdings", "Pensions", "Wrencroft fraud trial"],
        age=5,
        updated=26,
        body=[
            "Frank Idowu drove lorries for Wrencroft for 31 years. He retired in "
            "2021, a year before the company collapsed. His pension has been frozen "
            "ever since.",
            "## A long wait",
            "The scheme's trustees say members should eventually receive about 90% "
            "of their entitlement through the national protection fund, but the "
            "assessment can take years.",
            '"I\'m not angry," Mr Idowu said. "I\'m tired. We did our jobs."',
        ],
    ),
    # Kestrel Valley drought
    dict(
        slug="kestrel-reservoir-record-low",
        section="news",
        kicker="Drought",
        headline="Kestrel reservoir falls to its lowest level since records began",
        deck="The valley's main reservoir is at 31% of capacity after the driest "
        "spring in 90 years.",
        authors=["priya-natarajan"],
        tags=["Kestrel Valley drought", "Water", "Climate"],
        age=0.3,
        caption="The old village of Fenby has reappeared as the reservoir drains.",
        body=[
            "Kestrel reservoir, which supplies drinking water to 1.2 million people, "
            "fell to 31% of capacity this week, the lowest since measurements began "
            "in 1932.",
            "As the water retreats, the foundations of Fenby, the village flooded "
            "when the dam was built, have reappeared. Hundreds of people walked the "
            "old high street on Sunday.",
            "## What happens next",
            "Valley Water has announced [a hosepipe ban](@hosepipe-ban-from-monday). "
            "Scientists say [this drought behaves differently](@why-this-drought-is-different) "
            "from those of the past.",
        ],
    ),
    dict(
        slug="hosepipe-ban-from-monday",
        section="news",
        kicker="Drought",
        headline="Hosepipe ban for 1.2 million homes from Monday",
        deck="Valley Water says the ban will last at least until the autumn rains.",
        authors=["priya-natarajan"],
        tags=["Kestrel Valley drought", "Water"],
        age=1,
        body=[
            "Households across the Kestrel Valley will be banned from using hosepipes "
            "to water gardens, wash cars or fill paddling pools from Monday.",
            "## What is allowed",
            "Watering cans, buckets and drip irrigation on allotments are still "
            "allowed. Businesses that rely on water, such as car washes, are exempt.",
            "Fines of up to £1,000 are possible, though Valley Water says it expects "
            'to rely on "neighbourliness, not enforcement".',
        ],
    ),
    dict(
        slug="valley-farmers-switch-crops",
        section="business",
        kicker="Drought",
        headline="Valley farmers switch crops as the dry spring bites",
        deck="Sorghum and chickpeas are appearing where potatoes grew for generations.",
        authors=["priya-natarajan", "sam-whitlock"],
        tags=["Kestrel Valley drought", "Farming", "Climate"],
        age=2.5,
        body=[
            "On the slopes above Kestrel Bridge, Anwen Pryce is planting chickpeas "
            "in a field where her family has grown potatoes since 1911.",
            "## 'We can't irrigate our way out'",
            '"We can\'t irrigate our way out of this," she said. "The water isn\'t '
            'there." Abstraction licences have been cut by a fifth since '
            "[the reservoir fell to a record low](@kestrel-reservoir-record-low).",
            "Agronomists say drought-tolerant crops can work in the valley, but "
            "buyers and processing plants have yet to catch up.",
        ],
    ),
    dict(
        slug="why-this-drought-is-different",
        section="science",
        kicker="Climate",
        headline="Why this drought is different: the science of 'flash drying' soils",
        deck="Warm spells now dry the ground in weeks rather than months, and the "
        "valley's old models did not expect it.",
        authors=["helen-brandt"],
        tags=["Kestrel Valley drought", "Climate", "Research"],
        age=4,
        body=[
            "Droughts used to arrive slowly. Researchers at Aldmere University say "
            'the valley is now seeing "flash drying": soils losing most of their '
            "moisture in a few warm, windy weeks.",
            "## What the sensors show",
            "A network of 60 soil sensors shows moisture falling 40% faster in "
            "April and May than it did in the 2000s.",
            "## Why it matters",
            "Dry soils soak up rain before it reaches rivers and reservoirs, so even "
            "a wet autumn may not refill Kestrel quickly.",
        ],
    ),
    # Northfield election
    dict(
        slug="northfield-mayoral-debate",
        section="politics",
        kicker="Northfield votes",
        headline="Five candidates, one stage: Northfield's mayoral hopefuls clash over housing",
        deck="The first televised debate of the campaign was dominated by rents, "
        "buses and who would build what, where.",
        authors=["maya-okafor"],
        tags=["Northfield mayoral election", "Elections", "Housing"],
        age=0.4,
        body=[
            "Housing dominated the first debate of the Northfield mayoral race on "
            "Thursday night, as all five candidates promised more homes and none "
            "agreed on where to put them.",
            "## Marsh and Kell trade blows",
            "Ada Marsh, the Green candidate, [narrowly ahead in our poll](@northfield-poll-marsh-ahead), "
            "promised 8,000 council homes. Robert Kell, for the Conservatives, called "
            'the figure "a wish, not a plan".',
            "## Buses, again",
            "Every candidate pledged to bring buses back under public control. "
            "Only two said how they would pay for it.",
        ],
    ),
    dict(
        slug="northfield-poll-marsh-ahead",
        section="politics",
        kicker="Northfield votes",
        headline="Poll puts Ada Marsh narrowly ahead in Northfield",
        deck="The Green candidate leads by three points, within the margin of error, "
        "with one in five voters undecided.",
        authors=["aiko-tanaka", "maya-okafor"],
        tags=["Northfield mayoral election", "Elections", "Polls"],
        age=1.6,
        body=[
            "Ada Marsh leads the race to be Northfield's first elected mayor by three "
            "points, according to a poll of 1,204 adults for this paper.",
            "## The numbers",
            "Marsh (Green) 29%, Kell (Conservative) 26%, Osei (Labour) 22%, Brightwell "
            "(Liberal Democrat) 11%, Varga (Independent) 7%. Undecided voters were "
            "excluded from the figures.",
            "## Read with care",
            "The margin of error is about three points either way, so the race is "
            "effectively tied. [Turnout may decide it](@northfield-turnout).",
        ],
    ),
    dict(
        slug="northfield-turnout",
        section="politics",
        kicker="Analysis",
        headline="Why turnout in Northfield could decide more than the mayor",
        deck="Fewer than one in three voted last time. A new mayor elected on a low "
        "turnout would find it hard to claim a mandate.",
        authors=["maya-okafor"],
        tags=["Northfield mayoral election", "Elections", "Local government"],
        age=6,
        body=[
            "When Northfield last voted on its council, 29% of registered voters "
            "turned out. In the estates east of the ring road it was 17%.",
            "## Who votes",
            "Older homeowners vote in far greater numbers than young renters, which "
            "shapes what candidates promise.",
            "## What the campaigns are doing",
            "Three campaigns told us they are concentrating on postal votes. The "
            "deadline to register is twelve working days before polling day.",
        ],
    ),
    dict(
        slug="northfield-housing-pledges-costed",
        section="politics",
        kicker="Fact check",
        headline="Housing pledges costed: whose numbers add up?",
        deck="We asked three independent economists to look at the candidates' "
        "plans. Only one survived intact.",
        authors=["aiko-tanaka"],
        tags=["Northfield mayoral election", "Housing", "Fact check"],
        age=2.8,
        body=[
            "Every mayoral candidate in Northfield has a housing plan. We asked "
            "three economists to cost them.",
            "## Marsh: 8,000 council homes",
            "Plausible over ten years, not four, the economists said, and only with "
            "borrowing the mayor's office cannot yet do.",
            "## Kell: 'unlock the green belt'",
            "Cheaper, but the land he names would provide about 2,000 homes, not the "
            "6,000 claimed. See [the first debate](@northfield-mayoral-debate).",
        ],
    ),
    # Comet
    dict(
        slug="comet-lindqvist-visible",
        section="science",
        kicker="Astronomy",
        headline="Comet Lindqvist will be visible to the naked eye this month",
        deck="The comet, discovered only in March, is brightening faster than "
        "expected and may be the best in a decade.",
        authors=["helen-brandt"],
        tags=["Comet Lindqvist", "Astronomy", "Space"],
        age=0.9,
        body=[
            "A comet found this spring by an amateur astronomer is brightening so "
            "quickly that it should be visible without binoculars by the end of "
            "the month.",
            "## Where and when",
            "Look low in the north-west about an hour after sunset. Our "
            "[practical guide](@how-to-see-comet-lindqvist) has the details.",
            'Comets are famously unpredictable. "It could fizzle," said Dr Imre '
            "Halász of the Aldmere Observatory. \"But right now it's behaving "
            'beautifully."',
        ],
    ),
    dict(
        slug="teacher-who-spotted-comet-lindqvist",
        section="science",
        kicker="Profile",
        headline="The retired teacher who spotted Comet Lindqvist from her garden",
        deck="Birgit Lindqvist has searched the sky for 22 years. In March, she "
        "found what she was looking for.",
        authors=["helen-brandt"],
        tags=["Comet Lindqvist", "Astronomy"],
        age=3.5,
        body=[
            "Birgit Lindqvist's telescope lives in a shed at the bottom of her garden "
            "in Upper Harcastle, next to the lawnmower.",
            "## 'A smudge that moved'",
            '"It was a smudge that moved," she said of the night in March when she '
            'found the comet now named after her. "I checked it four times before I '
            'told anyone."',
            'She taught physics for 34 years. "Now I get to do the fun part."',
        ],
    ),
    dict(
        slug="how-to-see-comet-lindqvist",
        section="science",
        kicker="Guide",
        headline="How to see Comet Lindqvist: a practical guide",
        deck="You need a clear sky, a view to the north-west and twenty minutes for "
        "your eyes to adjust.",
        authors=["helen-brandt"],
        tags=["Comet Lindqvist", "Astronomy", "Space"],
        age=1.1,
        body=[
            "## Find a dark spot",
            "Street lights wash out faint objects. Parks, beaches and hills outside "
            "the city are best.",
            "## Look north-west after sunset",
            "The comet sits low above the horizon, its tail pointing up and away "
            "from where the Sun has set.",
            "## Bring binoculars if you have them",
            "They are not essential, but they show the tail beautifully. "
            "[Why the comet is so bright](@comet-lindqvist-visible).",
        ],
    ),
    # Concert hall
    dict(
        slug="concert-hall-opens",
        section="culture",
        kicker="Music",
        headline="Aldmere's new concert hall opens to a standing ovation",
        deck="Eleven years and £96m after it was first proposed, the hall on the "
        "old shipyard welcomed its first audience.",
        authors=["clara-mendes"],
        tags=["Aldmere Concert Hall", "Classical music", "Architecture"],
        age=2,
        body=[
            "The audience was on its feet before the last chord of Sibelius's Fifth "
            "had finished sounding.",
            "## A long road",
            "The hall was first proposed in 2013, shelved twice, and finally built "
            "on the site of the Caird shipyard. Its walls are lined with timber "
            "[salvaged from the yard's slipways](@architect-who-built-hall-from-ship-timbers).",
            "Our critic's verdict on [how it sounds](@concert-hall-review).",
        ],
    ),
    dict(
        slug="concert-hall-review",
        section="culture",
        kicker="Review",
        headline="Review: the new hall sounds as good as it looks",
        deck="Warm, clear and intimate, even from the back of the upper balcony.",
        authors=["clara-mendes"],
        tags=["Aldmere Concert Hall", "Classical music", "Reviews"],
        age=1.3,
        body=[
            "New halls are judged on their first night and then forgiven or not for "
            "years. This one needs no forgiveness.",
            "## From the balcony",
            "I moved seats at the interval, from the stalls to the back of the upper "
            "balcony. The strings lost none of their warmth; the quietest horn "
            "entries still arrived clean.",
            "## Verdict",
            "A hall that makes an orchestra sound like itself, only more so.",
        ],
    ),
    dict(
        slug="architect-who-built-hall-from-ship-timbers",
        section="culture",
        kicker="Interview",
        headline="The architect who built a concert hall from old ship timbers",
        deck="Nadia Farouk on salvaged oak, stubborn acousticians and why the foyer "
        "has no right angles.",
        authors=["clara-mendes"],
        tags=["Aldmere Concert Hall", "Architecture"],
        age=7,
        body=[
            "Nadia Farouk first visited the Caird shipyard in the rain, in 2016. "
            '"The slipways were still there, these enormous oak beams. I knew we '
            'had to use them."',
            "## Wood that has been to sea",
            "About 400 tonnes of timber were cleaned, cut and fitted to the walls. "
            '"Old wood is stable. It has done all its moving."',
            "## No right angles",
            'The foyer curves like a hull. "People slow down in curved rooms," she '
            'said. "I wanted them to arrive calm."',
        ],
    ),
    # Harcastle Rovers
    dict(
        slug="rovers-reach-cup-final",
        section="sport",
        kicker="County Cup",
        headline="Harcastle Rovers reach their first cup final in 61 years",
        deck="A stoppage-time header from Kai Mensah sent the fourth-tier side "
        "through and the away end into chaos.",
        authors=["jonah-feld"],
        tags=["Harcastle Rovers", "Football", "County Cup"],
        age=0.5,
        body=[
            "Harcastle Rovers will play in the County Cup final for the first time "
            "since 1963 after a 2-1 win at Dunmore on Saturday.",
            "## The winner",
            "Kai Mensah rose at the back post in the 94th minute to meet Theo "
            "Aldana's corner. [Our match report](@rovers-beat-dunmore-semi-final) has "
            "the rest.",
            "## 'For the town'",
            '"This is for the town," said manager '
            '[Ines Calloway](@ines-calloway-rebuilt-rovers). "They waited long enough."',
        ],
    ),
    dict(
        slug="ines-calloway-rebuilt-rovers",
        section="sport",
        kicker="Profile",
        headline="Ines Calloway: the manager who rebuilt Rovers from the bottom",
        deck="She took over a side about to lose its league status. Four years on, "
        "they are in a final.",
        authors=["jonah-feld"],
        tags=["Harcastle Rovers", "Football"],
        age=2.2,
        body=[
            "When Ines Calloway arrived at Harcastle in 2020, the club was bottom of "
            "the league, the training ground had no hot water and the squad had "
            "fourteen fit players.",
            "## Starting small",
            '"We fixed the showers first," she said. "Then we fixed the defence."',
            "Rovers have lost four home games in two seasons. Now they are "
            "[in the County Cup final](@rovers-reach-cup-final).",
        ],
    ),
    dict(
        slug="rovers-final-tickets-sell-out",
        section="sport",
        kicker="County Cup",
        headline="Fans queue overnight as Rovers' final tickets sell out in hours",
        deck="All 9,000 tickets went by lunchtime. The club is asking for a big screen "
        "in Market Square.",
        authors=["jonah-feld", "ewan-doyle"],
        tags=["Harcastle Rovers", "County Cup", "Football"],
        age=1.4,
        body=[
            "The first fans arrived at the Harcastle ticket office at 7pm on Friday, "
            "with folding chairs, flasks and a portable radio.",
            "## Sold out by lunchtime",
            "The club's allocation of 9,000 sold out in four hours. The council is "
            "considering a big screen in Market Square.",
            '"I was here in 1963," said Walter Brisk, 79. "I wasn\'t missing this."',
        ],
    ),
    dict(
        slug="rovers-beat-dunmore-semi-final",
        section="sport",
        kicker="Match report",
        headline="Rovers 2-1 Dunmore: late header sends Harcastle through",
        deck="Kai Mensah's stoppage-time goal settled a tense semi-final.",
        authors=["jonah-feld"],
        tags=["Harcastle Rovers", "County Cup", "Match reports"],
        age=0.55,
        body=[
            "Dunmore led through Ollie Sand's first-half penalty and looked the "
            "better side for an hour.",
            "## The turning point",
            "Calloway's double substitution on 63 minutes changed the game. Aldana "
            "equalised within five minutes and Rovers pressed until the end.",
            "## Verdict",
            "Not pretty, but earned. [Read the reaction](@rovers-reach-cup-final).",
        ],
    ),
    # Voltaris battery plant
    dict(
        slug="battery-factory-gets-go-ahead",
        section="business",
        kicker="Jobs",
        headline="Battery factory bringing 2,400 jobs gets the go-ahead",
        deck="Voltaris will build its plant on the former airfield at Crane Moor, "
        "with production due in 2027.",
        authors=["sam-whitlock"],
        tags=["Voltaris battery plant", "Manufacturing", "Jobs"],
        age=1.8,
        body=[
            "Planners have approved a £1.1bn battery factory at Crane Moor, "
            "promising 2,400 jobs and thousands more in the supply chain.",
            "## Conditions attached",
            "The permission comes with limits on lorry movements and a requirement "
            "to recycle process water, after objections about "
            "[the plant's water use](@voltaris-plant-water-use).",
            "Colleges are already [training technicians](@colleges-train-battery-technicians).",
        ],
    ),
    dict(
        slug="colleges-train-battery-technicians",
        section="business",
        kicker="Skills",
        headline="Colleges race to train battery technicians before the plant opens",
        deck="Valley College's first cohort of 60 starts in September. It needs 600.",
        authors=["sam-whitlock"],
        tags=["Voltaris battery plant", "Jobs", "Education"],
        age=4.5,
        body=[
            "Valley College will open a battery technology course in September with "
            "60 places, funded partly by Voltaris.",
            "## A skills gap",
            "The company says it will need about 600 trained technicians in its "
            "first two years.",
            "\"We can't conjure instructors out of thin air,\" said the college's "
            "principal, Dev Sandhu.",
        ],
    ),
    dict(
        slug="voltaris-plant-water-use",
        section="science",
        kicker="Drought",
        headline="How much water will the Voltaris plant use? The drought raises questions",
        deck="The factory's permit allows 1.4 million litres a day. Campaigners say "
        "the valley cannot spare it.",
        authors=["priya-natarajan"],
        tags=["Voltaris battery plant", "Kestrel Valley drought", "Water"],
        age=3.2,
        body=[
            "Battery manufacturing is thirsty. Voltaris's permit allows it to draw "
            "up to 1.4 million litres of water a day, about as much as a town of "
            "10,000 people.",
            "## Recycling promised",
            "The company says 80% will be recycled on site. Campaigners want that "
            "written into the permit, not the press release.",
            "It comes as [Kestrel reservoir hits a record low](@kestrel-reservoir-record-low).",
        ],
    ),
    # Standalones
    dict(
        slug="book-festival-returns",
        section="culture",
        kicker="Books",
        headline="Book festival returns with a record 140 authors",
        deck="Ten days of talks, readings and a children's tent twice the size of "
        "last year's.",
        authors=["clara-mendes"],
        tags=["Books", "Festivals"],
        age=8,
        body=[
            "The Aldmere Book Festival returns next month with 140 authors, its "
            "largest line-up since it began in 1998.",
            "## Highlights",
            "Novelist Tamsin Oduya opens the festival; the poet laureate closes it.",
            'Tickets go on sale on Friday. <a href="https://example.org/bookfest">'
            "See the full programme</a>.",
        ],
    ),
    dict(
        slug="the-lamplighters-review",
        section="culture",
        kicker="Theatre review",
        headline="Review: 'The Lamplighters' is a quiet triumph",
        deck="A two-hander about a lighthouse keeper and her replacement that "
        "earns every one of its silences.",
        authors=["clara-mendes"],
        tags=["Theatre", "Reviews"],
        age=5.5,
        body=[
            "Nothing much happens in 'The Lamplighters', and it happens beautifully.",
            "## Two performances",
            "Ruth Adeyemi and Sophie Brack play the keepers with such precision that "
            "a cup set down too hard lands like a slammed door.",
            "Until 14 June at the Quayside Theatre.",
        ],
    ),
    dict(
        slug="city-bees-healthier",
        section="science",
        kicker="Wildlife",
        headline="Bees in city parks are healthier than their rural cousins, study finds",
        deck="Gardens and verges offer more variety than fields of a single crop, "
        "researchers say.",
        authors=["helen-brandt", "priya-natarajan"],
        tags=["Wildlife", "Research", "Aldmere"],
        age=6.5,
        body=[
            "Bumblebees in Aldmere's parks carry fewer parasites and larger pollen "
            "stores than bees on nearby farmland, a study has found.",
            "## Variety matters",
            "Urban bees visited flowers from 74 plant species; rural bees, 19.",
            "The researchers say uncut verges could help. The council is trialling "
            "them on six roads this summer.",
        ],
    ),
    dict(
        slug="council-trials-four-day-week",
        section="politics",
        kicker="Work",
        headline="Council votes to trial a four-day week for its staff",
        deck="About 900 office staff will work four days for the same pay for six "
        "months, starting in January.",
        authors=["maya-okafor"],
        tags=["Local government", "Work"],
        age=9,
        image=False,
        body=[
            "Aldmere council will trial a four-day week for about 900 office staff "
            "from January after a vote of 31 to 22.",
            "## How it will be judged",
            "Response times, sickness absence and resident satisfaction will be "
            "compared with the same months last year.",
            'Opposition councillors called it "an experiment with taxpayers\' money".',
        ],
    ),
    dict(
        slug="interest-rates-held",
        section="business",
        kicker="Economy",
        headline="Interest rates held at 4.25% as inflation cools",
        deck="Borrowers face a longer wait for cuts, though economists expect one "
        "before the end of the year.",
        authors=["sam-whitlock"],
        tags=["Economy", "Interest rates"],
        age=2.1,
        body=[
            "Interest rates were held at 4.25% on Thursday, as expected, with the "
            'central bank saying inflation was "moving in the right direction".',
            "## What it means for you",
            "Mortgage rates are unlikely to fall much in the short term. Savers "
            "should shop around: the best easy-access accounts still pay over 4%.",
        ],
    ),
    dict(
        slug="marathon-course-record",
        section="sport",
        kicker="Athletics",
        headline="Aldmere Marathon sets a course record in cold, clear conditions",
        deck="Hana Kibet won the women's race in 2:24:10; Luis Ortega took the men's.",
        authors=["jonah-feld"],
        tags=["Athletics", "Aldmere"],
        age=10,
        body=[
            "Hana Kibet broke the Aldmere Marathon course record by 41 seconds on a "
            "cold, bright Sunday morning.",
            "## 11,000 finishers",
            "More than 11,000 runners finished, raising an estimated £2.3m for "
            "charity.",
        ],
    ),
    dict(
        slug="library-hours-extended",
        section="news",
        kicker="Aldmere",
        headline="Library opening hours extended after petition",
        deck="The central library will open until 8pm on weekdays and on Sundays "
        "from next month.",
        authors=["ewan-doyle"],
        tags=["Libraries", "Aldmere"],
        age=7.5,
        body=[
            "Aldmere Central Library will open late on weekdays and on Sundays from "
            "next month after a petition signed by 6,400 people.",
            "## Students led the campaign",
            "The petition was started by sixth-formers who said they had nowhere "
            "quiet to revise.",
        ],
    ),
    dict(
        slug="new-mp-maiden-speech-rural-buses",
        section="politics",
        kicker="Parliament",
        headline="New MP for Harcastle makes maiden speech on rural buses",
        deck='Rhiannon Vale said villages had been "cut off by timetable".',
        authors=["maya-okafor"],
        tags=["Parliament", "Transport"],
        age=11,
        image=False,
        body=[
            "The new MP for Harcastle used her first speech in Parliament to call "
            "for a guaranteed hourly bus to every village of more than 500 people.",
            "## 'Cut off by timetable'",
            '"Villages in my constituency are not cut off by rivers or mountains," '
            'Rhiannon Vale said. "They are cut off by timetable."',
        ],
    ),
    # Not yet public: drafts, a scheduled story and a withdrawn one.
    dict(
        slug="northfield-election-night-live",
        section="politics",
        kicker="Live",
        headline="Northfield election night: results as they come in",
        deck="Follow the count at the Civic Hall with our reporters.",
        authors=["maya-okafor", "aiko-tanaka"],
        tags=["Northfield mayoral election", "Elections"],
        age=0,
        status="draft",
        body=["Polls close at 10pm. The count begins at 10.30pm at the Civic Hall."],
    ),
    dict(
        slug="kestrel-reservoir-tracker",
        section="news",
        kicker="Drought",
        headline="Kestrel reservoir level: our weekly tracker",
        deck="How full is the valley's main reservoir? Updated every Monday.",
        authors=["aiko-tanaka"],
        tags=["Kestrel Valley drought", "Water"],
        age=0,
        status="draft",
        image=False,
        body=["Draft: chart to follow once Valley Water's weekly data is confirmed."],
    ),
    dict(
        slug="cup-final-preview-rovers-ashby",
        section="sport",
        kicker="County Cup",
        headline="Cup final preview: Rovers v Ashby United",
        deck="Team news, the key battles and how to follow the final.",
        authors=["jonah-feld"],
        tags=["Harcastle Rovers", "County Cup", "Football"],
        age=-2,
        status="scheduled",
        body=[
            "Harcastle Rovers meet Ashby United in the County Cup final on Saturday.",
            "## Team news",
            "Kai Mensah is fit. Theo Aldana serves the last game of a suspension.",
        ],
    ),
    dict(
        slug="council-leader-to-resign",
        section="politics",
        kicker="Council",
        headline="Council leader to resign, sources say",
        deck="Claims that the leader of Aldmere council would step down this week.",
        authors=["maya-okafor"],
        tags=["Local government"],
        age=12,
        status="withdrawn",
        image=False,
        reason="This article has been withdrawn because its central claim was wrong: "
        "the council leader is not resigning. We apologise for the error.",
        body=["This article has been withdrawn."],
    ),
]
