"""What each real-world file (../shared/fixtures/real) must give when imported:
the table test_import_real_table.py checks, one row per file.

`Reader` is what a reader sees of one article of the file: its page (the
headline, the byline line, the date, the page's language, its paragraphs, its
topics) and the picture it leads with, or that it has no page at all.
"""

from dataclasses import dataclass, field

# Why items are skipped (the report's words).
PAGE = "a WordPress page, not a post"
ATTACHMENT = "a WordPress attachment, not a post"
MENU_ITEM = "a WordPress nav menu item, not a post"
NAVIGATION = "a WordPress wp navigation, not a post"
STYLES = "a WordPress wp global styles, not a post"
PICTURE_KEPT = "a picture item, not an article: kept in the media library"
EARLIER = "appears earlier in this run (the first is kept)"
# The date of an item dated by its first import (neither it nor its feed has one).
AT_IMPORT = "at import"


@dataclass
class Reader:
    """What a reader sees of one article: its page, or no page (`public`)."""

    source_uri: str
    headline: str = ""
    byline: str | None = None  # the byline line: authors and credit, or None
    date: str = ""  # the <time datetime>: a day alone is YYYY-MM-DD
    language: str = "en"  # <html lang>
    paragraphs: int = 0
    tags: list = field(default_factory=list)  # sorted
    hero: str | None = None  # the picture's source (shown once its file is fetched)
    public: bool = True


@dataclass
class Expect:
    created: int
    skipped: dict = field(default_factory=dict)  # reason: count
    private: int = 0  # drafts: held back, never shown to readers
    zoneless: int = 0  # records whose times had no zone
    reader: Reader | None = None
    pictures: list = field(default_factory=list)  # picture items kept as Images


TABLE = {}

TABLE["feeds/Rss10OrfAt.xml"] = Expect(
    created=50,
    private=50,
    reader=Reader("http://orf.at/stories/2376368/", public=False),
)
TABLE["feeds/Rss20ContentWindCom.xml"] = Expect(
    created=1,
    reader=Reader(
        source_uri="http://content-wind.com/?p=14366",
        headline="Wachstum Influencer Marketing",
        byline="By Harald Schaffernak",
        date="2016-12-22T13:09:51+00:00",
        language="de-de",
        paragraphs=9,
        tags=["Allgemein"],
        hero=None,
    ),
)
TABLE["feeds/Rss20FinanzenNet.xml"] = Expect(
    created=15,
    reader=Reader(
        source_uri="http://www.finanzen.net/analyse/NVIDIA_Buy-UBS_AG_598767",
        headline="NVIDIA Buy",
        byline="Analysen Ticker - www.finanzen.net",
        date=AT_IMPORT,  # no date in the item or the feed
        language="de-de",
        paragraphs=1,
        tags=[],
        hero=None,
    ),
)
TABLE["feeds/Rss20IndianExpress.xml"] = Expect(
    created=200,
    private=200,
    reader=Reader(
        "http://indianexpress.com/?post_type=article&p=4463964", public=False
    ),
)
TABLE["feeds/Rss20NYTimes.xml"] = Expect(
    created=33,
    private=3,
    reader=Reader(
        source_uri=(
            "http://www.nytimes.com/2017/01/06/us/politics/donald-trump-wall-hack-russia.html"
        ),
        headline="Putin Led a Complex Cyberattack Scheme to Aid Trump, Report Finds",
        byline="By Michael D. Shear and David E. Sanger",
        date="2017-01-07T01:49:31+00:00",
        language="en-us",
        paragraphs=1,
        tags=["Cyberattacks and Hackers", "Mexico", "Russia", "Trump, Donald J"],
        hero=(
            "https://static01.nyt.com/images/2017/01/07/us/07trump3_hp/07trump3_hp-moth.jpg"
        ),
    ),
)
TABLE["feeds/Rss20YandexRussia.xml"] = Expect(
    created=15,
    reader=Reader(
        source_uri=(
            "https://news.yandex.ru/yandsearch?cl4url=ria.ru%2Fsociety%2F20170107%2F1485236822.html"
        ),
        headline=(
            "В Москве из-за сильных морозов объявлен «оранжевый» уровень опасности"
        ),
        byline="Яндекс.Новости: Москва",
        date="2017-01-07T14:12:53+00:00",
        language="en",  # the source names none: the site's default
        paragraphs=1,
        tags=[],
        hero=None,
    ),
)
TABLE["feeds/TypePadNews.xml"] = Expect(
    created=10,
    reader=Reader(
        source_uri="tag:typepad.com,2003:post-6a00d83451c82369e2017c3708a241970b",
        headline="Spotlight: Friday Favorites!",
        byline="The Typepad Team",
        date="2013-02-22T17:47:09+00:00",
        language="en-us",
        paragraphs=10,
        tags=["Blogging Community"],
        hero=None,
    ),
)
TABLE["feeds/aktuality.rss"] = Expect(
    created=30,
    private=1,
    reader=Reader(
        source_uri=(
            "https://www.aktuality.sk/clanok/856577/analytici-goldman-sachs-zvysili-odhad-rastu-ekonomiky-usa/"
        ),
        headline="Analytici Goldman Sachs zvýšili odhad rastu ekonomiky USA",
        byline="Aktuality.sk - aktuálne spravodajstvo",
        date="2021-01-17T18:27:00+00:00",
        language="sk",
        paragraphs=1,
        tags=[],
        hero=(
            "https://t.aimg.sk/magaziny/vUw5YHzvQKDCkNw6PtXtAg.320.jpg?t=LzE1OHgxMDYvc21hcnQ&h=OcgUSVfIJOH9QPOW-nqQxQ&e=2145916800&v=3"
        ),
    ),
)
TABLE["feeds/cloudblog.rss"] = Expect(
    created=20,
    reader=Reader(
        source_uri=(
            "https://cloud.google.com/blog/products/productivity-collaboration/want-to-keep-your-employees-productive-pay-attention-to-shadow-it-clues/"
        ),
        headline=(
            "Want to keep your employees productive? Pay attention to shadow IT clues"
        ),
        byline="By Diane Chaleff",
        date="2019-09-03T18:00:00+00:00",
        language="en",
        paragraphs=7,
        tags=[
            "Drive",
            "Inside Google Cloud",
            "Perspectives",
            "Productivity & Collaboration",
        ],
        hero=(
            "https://storage.googleapis.com/gweb-cloudblog-publish/images/shadow_IT.max-600x600.png"
        ),
    ),
)
TABLE["feeds/content-encoded.rss"] = Expect(
    created=7,
    reader=Reader(
        source_uri="https://medium.com/p/125af37d838f",
        headline="THE CREATIVE FORAGER",
        byline="By Jeremy Puma",
        date="2018-04-09T18:55:38+00:00",
        language="en",
        paragraphs=10,
        tags=["environment", "food", "foraging", "nature", "plants"],
        hero=None,
    ),
)
TABLE["feeds/encoding.rss"] = Expect(
    created=40,
    private=4,
    reader=Reader(
        source_uri=(
            "http://feeds.jn.pt/~r/JN-ULTIMAS/~3/UBnb8Ra3Q1U/sonia-laig-e-a-nova-presidente-da-rarissimas-9021600.html"
        ),
        headline="Mãe de utente é a nova presidente da Raríssimas",
        byline="Jornal de Notícias - Últimas Notícias",
        date="2018-01-03T13:47:00+00:00",
        language="pt-pt",
        paragraphs=1,
        tags=["Nacional"],
        hero=None,
    ),
)
TABLE["feeds/encoding_ISO-8859-1.xml"] = Expect(
    created=40,
    reader=Reader(
        source_uri="https://www.golem.de/1810/137358-rss.html",
        headline=(
            "Red Dead Redemption 2: Hinweise auf PC-Umsetzung in App von Rockstar Games"
        ),
        byline="Golem.de",
        date="2018-10-28T12:48:00+00:00",
        language="de",
        paragraphs=1,
        tags=[],
        hero="https://www.golem.de/1810/137358-177541-177538_rc.jpg",
    ),
)
TABLE["feeds/guardian.rss"] = Expect(
    created=55,
    reader=Reader(
        source_uri=(
            "https://www.theguardian.com/us-news/2018/jan/31/donald-trump-state-of-the-union-address-unity-discord"
        ),
        headline=(
            "Trump State of the Union address promised unity but emphasized discord"
        ),
        byline="By David Smith",
        date="2018-01-31T07:26:05+00:00",
        language="en-gb",
        paragraphs=3,
        tags=[
            "Democrats",
            "Donald Trump",
            "Republicans",
            "State of the Union address",
            "US Congress",
            "US news",
            "US politics",
        ],
        hero=(
            "https://i.guim.co.uk/img/media/b73c8752cd4667c923dff7f1542f1fb20089e421/0_108_3000_1799/master/3000.jpg?w=460&q=55&auto=format&usm=12&fit=max&s=a606a273a90104e57b1e09bc4c0a1e11"
        ),
    ),
)
TABLE["feeds/heise.atom"] = Expect(
    created=15,
    reader=Reader(
        source_uri="http://heise.de/-3088438",
        headline="Java-Anwendungsserver: Red Hat gibt WildFly 10 frei",
        byline="heise online",
        date="2016-02-01T16:22:00+00:00",
        language="en",  # the source names none: the site's default
        paragraphs=1,
        tags=[],
        hero=(
            "http://www.heise.de/scale/geometry/264/q80/imgs/18/1/7/3/9/9/2/1/wildfly-2bf4ffd2935e38b6-90200def80b152e9-5ba35d3770232d92.jpeg"
        ),
    ),
)
TABLE["feeds/iconv.xml"] = Expect(
    created=10,
    reader=Reader(
        source_uri="http://www.oren.ru/news/2743422/",
        headline="В Бузулуке главные стройплощадки – детсад и Ледовый дворец",
        byline="Новости Оренбурга и области / Раздел Новости",
        date="2014-01-22T14:31:31+00:00",
        language="en",  # the source names none: the site's default
        paragraphs=1,
        tags=["Раздел Новости/"],
        hero="http://www.oren.ru/upload/iblock/be8/stroitelstvo_krany.jpg",
    ),
)
TABLE["feeds/kc0011.rss"] = Expect(
    created=20,
    zoneless=20,
    reader=Reader(
        source_uri="http://www.kc0011.net/dispbbs.asp?BoardID=10&ID=25164257&Page=1",
        headline="建国35周年纪念，华表，和平鸽",
        byline="By 大鱼儿",
        date="2020-01-10T14:33:00+00:00",
        language="zh-cn",
        paragraphs=3,
        tags=[],
        hero=None,
    ),
)
TABLE["feeds/no_encoding_ISO-8859-1.xml"] = Expect(
    created=9,
    skipped={"an empty item: no title, text, guid or link": 1},
    reader=Reader(
        source_uri=(
            "https://le-cercle-psy.scienceshumaines.com/perturbateurs-endocriniens-quels-effets-sur-le-cerveau_sh_39995"
        ),
        headline="Perturbateurs endocriniens : quels effets sur le cerveau ?",
        byline="Flux RSS du magazine de psychologie Le Cercle Psy",
        date="2018-10-17T10:30:00+00:00",
        language="en",  # the source names none: the site's default
        paragraphs=1,
        tags=[],
        hero=None,
    ),
)
TABLE["feeds/rss_0.91_encoding_2.xml"] = Expect(
    created=1,
    reader=Reader(
        source_uri=(
            "http://www.tjrs.jus.br/site_php/noticias/mostranoticia.php?assunto=1&categoria=1&item=506095"
        ),
        headline=(
            "13/08/2020 21:27 - Comitê completa 150 dias de atuação na prevenção "
            "contra o novo Coronavírus"
        ),
        byline="Tribunal de Justiça do Estado do Rio Grande do Sul",
        date=AT_IMPORT,  # no date in the item or the feed
        language="pt-br",
        paragraphs=1,
        tags=[],
        hero=None,
    ),
)
TABLE["feeds/rss_2.0_ilmessaggero.xml"] = Expect(
    created=1,
    reader=Reader(
        source_uri=(
            "https://www.ilmessaggero.it/mondo/missili_polonia_cosa_e_successo_davvero-7054869.html"
        ),
        headline=(
            "Missili Polonia, cosa è successo? Tensione Nato-Russia, Mosca: non "
            "siamo stati noi"
        ),
        byline="ilmessaggero.it - mondo",
        date="2022-11-15T23:38:15+00:00",
        language="it-it",
        paragraphs=1,
        tags=["Mondo"],
        hero=(
            "https://www.ilmessaggero.it/photos/MED/48/69/7054869_16003922_missili_polonia_1_.jpg"
        ),
    ),
)
TABLE["newsml-g2/TT_newsmlg2_sample.xml"] = Expect(
    created=1,
    skipped={
        "a package item (it groups other items), not an article": 1,
        "a picture item, not an article": 1,
    },
    reader=Reader(
        source_uri="http://tt.se/media/text/210919-janguillou-879f202b",
        headline='Jan Guillou skriver på ny "Hamilton"-bok',
        byline="TT",
        date="2021-09-19T18:57:43+00:00",
        language="sv",
        paragraphs=3,
        tags=[
            "Aftonbladet",
            "Erik Ponti",
            "Hamilton",
            "Jan Guillou",
            "Konst, kultur och nöje",
            "Litteratur",
        ],
        hero="http://tt.se/media/image/sdlm1btzmKu8WU",
    ),
)
TABLE["newsml-g2/ansa-newsmlg2-text.xml"] = Expect(
    created=1,
    reader=Reader(
        source_uri="tag:ansa.it,2017-10-11:40e5fb1034e7e2b21942ea09718fc85a",
        headline="Catalan independence declaration unacceptable - Alfano",
        byline="ANSA",
        date="2017-10-11T09:41:00+00:00",
        language="it",
        paragraphs=4,
        tags=[],
        hero="tag:ansa.it,2017-10-11:200400bfd17a98e68ea9597546e5ec93.jpg",
    ),
)
TABLE["newsml-g2/dpa.xml"] = Expect(
    created=1,
    reader=Reader(
        source_uri="urn:newsml:dpa.com:20090101:221011-930-4303",
        headline="Eintracht in London: Hintereggers Tränen und Attacke auf Reporter",
        byline="dpa",
        date="2022-10-11T09:14:42+00:00",
        language="de",
        paragraphs=3,
        tags=[
            "Champions League",
            "Deutschland",
            "Frankfurt",
            "Fußball",
            "Großbritannien",
            "Hessen",
            "International",
            "London",
            "Sport",
            "Tottenham Hotspur Stadium, High Road 782, N17 , Vereinigtes Königreich",
        ],
        hero=None,
    ),
)
TABLE["newsml-g2/stt_newsml_location_rich.xml"] = Expect(
    created=1,
    zoneless=1,
    reader=Reader(
        source_uri="urn:newsml:stt.fi:20170829:101572756",
        headline=(
            "Tuhannet rohingya-pakolaiset jumissa Myanmarin ja Bangladeshin rajalla"
        ),
        byline="STT–AFP",
        date="2017-08-29T17:15:41+00:00",
        language="fi-FI",
        paragraphs=2,
        tags=[
            "Etniset vähemmistöt",
            "Levottomuudet Konfliktit Sodat",
            "Pakolaiset",
            "Politiikka",
            "Sosiaalikysymykset",
            "Ulkomaat",
            "Vähemmistöt",
        ],
        hero=None,
    ),
)
TABLE["ninjs/businesswire-newsml-20130605006126.json"] = Expect(
    created=1,
    reader=Reader(
        source_uri="http://www.businesswire.com/news/home/20130605006126/zh",
        headline="Cambrios被Gartner評選為「最酷供應商」",
        byline=None,
        date="2013-06-05T21:00:00+00:00",
        language="zh",
        paragraphs=1,
        tags=[
            "Audio/Video",
            "Award",
            "California",
            "Chemicals/Plastics",
            "Consumer Electronics",
            "Engineering",
            "Hardware",
            "Manufacturing",
            "Nanotechnology",
            "North America",
            "Semiconductor",
            "Technology",
            "United States",
        ],
        hero=None,
    ),
)
TABLE["ninjs/iptc-1.4/businesswire-newsml-20130515006361.json"] = Expect(
    created=1,
    reader=Reader(
        source_uri="http://www.businesswire.com/news/home/20130515006361/en",
        headline=(
            "Dell Redefines Workstation Computing Boundaries with Smallest Tower "
            "and Most Powerful Rack Workstations"
        ),
        byline=None,
        date="2013-05-16T04:01:00+00:00",
        language="en",
        paragraphs=1,
        tags=[
            "Data Management",
            "Hardware",
            "North America",
            "Photo/Multimedia",
            "Product/Service",
            "Software",
            "Technology",
            "Texas",
            "United States",
        ],
        hero="http://mms.businesswire.com/media/newsItemId/en/369394/3/0025lf.jpg",
    ),
)
TABLE["ninjs/iptc-2.0/ap_image.json"] = Expect(
    created=0,
    skipped={PICTURE_KEPT: 1},
    pictures=[
        (
            "http://api.ap.org/media/v/content/b2b6c3f4642f46deac7509d4db315ca0?qt=H1Kdh42orF&et=0a1aza3c0"
        ),
    ],
)
TABLE["ninjs/iptc-2.0/dpa_text.json"] = Expect(
    created=1,
    reader=Reader(
        source_uri="urn:newsml:dpa.com:20090101:190510-99-167362",
        headline="Faktencheck Derby-Elfmeter: Hat Schiedsrichter Zwayer recht?",
        byline="By Christian Hollmann, dpa",
        date="2019-05-10T14:02:28+00:00",
        language="de",
        paragraphs=9,
        tags=[],
        hero=None,
    ),
)
TABLE["ninjs/iptc-2.0/tt_text_image_2.json"] = Expect(
    created=1,
    reader=Reader(
        source_uri="http://tt.se/media/text/210526-militarovning-a0f2d045",
        headline="Militärövning i jätteformat hålls 2023",
        byline="TT",
        date="2021-05-26T11:40:18+00:00",
        language="sv",
        paragraphs=2,
        tags=["Krig, konflikter och oroligheter"],
        hero="http://tt.se/media/image/sdlk2sirkPaauM",
    ),
)
TABLE[
    (
        "ninjs/iptc-3.0/20231008-anti-doping-measures-at-the-tour-down-under-will-be-the-toughest-ever-addb-ninjs-nitf.json"
    )
] = Expect(
    created=1,
    reader=Reader(
        source_uri=(
            "https://antidopingdatabase.com/news/anti-doping-measures-at-the-tour-down-under-will-be-the-toughest-ever"
        ),
        headline=(
            "Anti-doping measures at the 'Tour Down Under' will be the toughest ever"
        ),
        byline="By Trond Husø, The Anti-Doping Database",
        date="2023-10-08T00:34:03+00:00",
        language="en",
        paragraphs=12,
        tags=["Cycling", "Sport", "drug abuse in sport"],
        hero=None,
    ),
)
TABLE["ninjs/ninjs1.json"] = Expect(
    created=1,
    reader=Reader(
        source_uri=(
            "urn:newsml:localhost:2017-08-24T14:37:19.783611:c044162e-7f40-4d04-b700-49b6a66e652c"
        ),
        headline="headline",
        byline="By Peter and Jane, Australian Associated Press",
        date="2017-08-24T04:37:19+00:00",
        language="fr",
        paragraphs=1,
        tags=["arts, culture and entertainment"],
        hero=None,
    ),
)
TABLE["ninjs/ninjs3.json"] = Expect(
    created=0,
    skipped={PICTURE_KEPT: 1},
    pictures=["20170825001315282180"],
)
TABLE["ninjs/ntbttninjs.json"] = Expect(
    created=1,
    reader=Reader(
        source_uri="http://tt.se/media/text/200702-allsvhelsingborguv-1259445",
        headline="Krisen allt djupare – Mellberg sämst någonsin",
        byline="By Martin Hardenberger, TT",
        date="2020-07-02T20:04:47+00:00",
        language="sv",
        paragraphs=12,
        tags=["Sport", "fotboll"],
        hero="http://tt.se/media/image/sdlzNAIyxwPrVM",
    ),
)
TABLE["ninjs/superdesk-core/ninjs2.json"] = Expect(
    created=1,
    reader=Reader(
        source_uri="tag:localhost:2017:7ca07622-3b19-4d61-8daf-18500412d46b",
        headline="Oil prices edge up on first drop in US drilling in months",
        byline="By Henning Gloystein, Australian Associated Press",
        date="2017-07-03T01:38:13+00:00",
        language="en",
        paragraphs=9,
        tags=["oil and gas - upstream activities"],
        hero="20170809001313906811",
    ),
)
TABLE["pages/liberation-1_source.html"] = Expect(
    created=1,
    zoneless=1,
    reader=Reader(
        source_uri=(
            "http://www.liberation.fr/monde/2015/04/30/un-troisieme-francais-mort-dans-le-seisme-au-nepal_1278483"
        ),
        headline="Un troisième Français mort dans le séisme au Népal",
        byline="AFP",
        date="2015-04-30T07:19:58+00:00",
        language="fr",
        paragraphs=4,
        tags=[],
        hero=(
            "http://md1.libe.com/photo/755923-000_hkg10175905.jpg?modified_at=1430371146&width=750"
        ),
    ),
)
TABLE["pages/wapo-1_source.html"] = Expect(
    created=1,
    reader=Reader(
        source_uri=(
            "http://www.washingtonpost.com/world/gunmen-storm-museum-in-tunisia-killing-at-least-8/2015/03/18/00202e76-cd73-11e4-8730-4f473416e759_story.html"
        ),
        headline="Attack stokes instability fears in North Africa",
        byline="By Erin Cunningham",
        date="2015-03-18",
        language="en",
        paragraphs=35,
        tags=[
            "arab spring",
            "bardo museum",
            "isil",
            "isis",
            "islamic state",
            "islamic state tunsiia",
            "tourists killed",
            "tunis attack tunisia attack",
            "tunisia",
            "tunisia clashes",
            "tunisia death toll",
            "tunisia libya",
            "tunisia museum",
            "tunisia terrorism",
            "tunisia violence",
        ],
        hero=(
            "http://img.washingtonpost.com/rw/2010-2019/WashingtonPost/2015/03/18/Foreign/Images/Nic6429927.jpg"
        ),
    ),
)
TABLE["wxr/sitetitle.wordpress.2025-01-19.000.xml"] = Expect(
    created=7,
    skipped={PAGE: 1, STYLES: 1, ATTACHMENT: 6, NAVIGATION: 1},
    reader=Reader(
        source_uri="https://jekyllbot.wordpress.com/2025/01/18/the-art-of-connection/",
        headline="The Art of Connection",
        byline="By Jekyllbot Hyde",
        date="2025-01-19T02:26:26+00:00",
        language="en",
        paragraphs=1,
        tags=[],
        hero=(
            "https://jekyllbot.wordpress.com/wp-content/uploads/2025/01/0565b-tt4_post_1.jpg"
        ),
    ),
)
TABLE["wxr/small-export.xml"] = Expect(
    created=6,
    skipped={PAGE: 5},
    private=1,
    reader=Reader(
        source_uri="http://localhost/?p=1",
        headline="Hello world!",
        byline="By author",
        date="2011-01-18T07:40:14+00:00",
        language="en",
        paragraphs=1,
        tags=[],
        hero=None,
    ),
)
TABLE["wxr/themeunittestdata.wordpress.xml"] = Expect(
    created=58,
    skipped={PAGE: 21, ATTACHMENT: 37, MENU_ITEM: 70},
    private=4,
    reader=Reader(
        source_uri="https://wpthemetestdata.wordpress.com/wp-6-1-font-size-scale/",
        headline="WP 6.1 Font size scale",
        byline="By Theme Reviewer",
        date="2023-01-16T07:08:31+00:00",
        language="en",
        paragraphs=5,
        tags=[],
        hero=None,
    ),
)
TABLE["wxr/wordpress_export_example.xml"] = Expect(
    created=4,
    skipped={ATTACHMENT: 3, PAGE: 1},
    reader=Reader(
        source_uri="http://some.blog/?p=17",
        headline="Transformation test",
        byline="By Niko",
        date="2007-04-27T13:02:35+00:00",
        language="en",
        paragraphs=3,
        tags=["Bild", "Werbung"],
        hero=None,
    ),
)
TABLE["wxr/wordpressexport.xml"] = Expect(
    created=9,
    skipped={
        ATTACHMENT: 4,
        PAGE: 2,
        EARLIER: 2,
        "a WordPress custom1, not a post": 2,
        "a WordPress custom2, not a post": 1,
    },
    private=4,
    reader=Reader(
        source_uri="http://thisisa.test/?p=8",
        headline="With excerpt",
        byline="By bob",
        date="2012-02-04T02:03:06+00:00",
        language="en",
        paragraphs=3,
        tags=["Tag2", "tag 1"],
        hero="http://thisurlisinvalid.notarealdomain/not_an_image.jpg",
    ),
)
