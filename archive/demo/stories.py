"""The demo archive's stories. ALL OF THEM ARE FICTIONAL.

Written for this software so that a new visitor or developer sees a working archive
without anyone's real words being used: no story here is a real person's, and any
likeness is accidental. They are short first-person scripts about everyday racism in the
six boroughs, in plain English (one in Polish, one in French, for the translation work).

Each script is spoken by espeak-ng; `voice` is an espeak-ng voice with a variant.
Themes and dimensions are slugs made by migration 0002 from the strategy's own words."""

SPOKEN_LABEL = {
    "en": "This is a fictional demo story, not a real person's words.",
    "pl": "To jest fikcyjna historia demonstracyjna, a nie słowa prawdziwej osoby.",
    "fr": "Ceci est une histoire fictive de démonstration, pas les mots d'une vraie personne.",
}

STORIES = [
    {
        "slug": "the-bus-into-town",
        "title": "The bus into town",
        "kind": "vox-pop",
        "borough": "liverpool",
        "language": "en",
        "voice": "en-gb-x-gbclan+f3",
        "recorded_on": "2026-03-14",
        "summary": "A woman born in Toxteth is told to go back where she came from on a "
        "city-centre bus, and nobody speaks up.",
        "script": "I was on the bus into town when a man told me to go back to where I "
        "came from. I was born in Toxteth, and so was my mum. Nobody on the bus said a word, "
        "and that silence stayed with me longer than what he said.",
        "themes": ["active-anti-racism-and-bravery", "empowerment-to-speak-up", "belonging"],
        "dimensions": ["interpersonal"],
    },
    {
        "slug": "my-fathers-ship",
        "title": "My father's ship",
        "kind": "oral-history",
        "borough": "liverpool",
        "language": "en",
        "voice": "en-gb-x-rp+m3",
        "recorded_on": "2026-02-02",
        "summary": "A man remembers how the best berths, and later the dock jobs, went to "
        "white seamen first, and why he tells his grandchildren.",
        "script": "My father came to Liverpool as a seaman in the nineteen fifties. At the "
        "shipping office the good berths went to the white lads first; everyone knew it, and "
        "nobody ever wrote it down. When he stopped going to sea, the same thing happened with "
        "the jobs on the docks. I tell my grandchildren so that this history is not lost.",
        "themes": ["truth-and-history", "fair-and-just-systems-and-institutions"],
        "dimensions": ["institutional", "structural"],
    },
    {
        "slug": "liverpool-still-here",
        "title": "Liverpool: still here",
        "kind": "borough-film",
        "borough": "liverpool",
        "language": "en",
        "voice": "en-029+m2",
        "recorded_on": "2026-04-20",
        "summary": "A short film about the streets where Liverpool's Black community has "
        "lived for generations, and the history that is not yet taught in schools.",
        "script": "This film is about the streets where Liverpool's Black community has lived "
        "for generations. People walk past the old community centre and the church halls "
        "without knowing what they meant to us. We want our history taught in our schools, "
        "not just remembered in our kitchens.",
        "themes": [
            "truth-and-history",
            "education",
            "visible-diversity",
            "the-visibility-and-celebration-of-black-asian-and-minority-ethnic-communities-within-lcr",
        ],
        "dimensions": ["structural", "systemic"],
    },
    {
        "slug": "the-name-on-the-form",
        "title": "The name on the form",
        "kind": "vox-pop",
        "borough": "halton",
        "language": "en",
        "voice": "en-gb+f2",
        "recorded_on": "2026-01-22",
        "summary": "Twenty job applications from Widnes go unanswered until a friend "
        "suggests applying under a different name.",
        "script": "I applied for twenty jobs in Widnes with my own name and heard nothing "
        "back. My friend told me to try again as Sarah instead of Samira. I got three "
        "interviews in a week. I still think about that.",
        "themes": [
            "equitable-opportunities",
            "diverse-leadership-and-representation-across-sectors",
        ],
        "dimensions": ["institutional", "systemic"],
    },
    {
        "slug": "halton-across-the-bridge",
        "title": "Halton: across the bridge",
        "kind": "borough-film",
        "borough": "halton",
        "language": "en",
        "voice": "en-gb-x-gbclan+m1",
        "recorded_on": "2026-05-09",
        "summary": "A short film about a family who took years to feel they belonged in "
        "Runcorn, and the youth club where that began to change.",
        "script": "Runcorn and Widnes are joined by a bridge, and people here like to say "
        "everyone knows everyone. For families like mine, who came here twenty years ago, it "
        "took a long time to feel that was true of us too. This film follows the youth club "
        "where that started to change.",
        "themes": [
            "belonging",
            "a-greater-sense-of-belonging-and-voice-at-all-levels",
            "inclusive-thriving-lcr-communities",
            "working-together-and-collaboration",
        ],
        "dimensions": ["structural"],
    },
    {
        "slug": "followed-round-the-shop",
        "title": "Followed round the shop",
        "kind": "vox-pop",
        "borough": "knowsley",
        "language": "en",
        "voice": "en-gb-x-gbclan+m3",
        "recorded_on": "2026-03-03",
        "summary": "A young man in Kirkby is followed by a security guard every time he "
        "goes into the same shop, while his friends are not.",
        "script": "Every time I go into the shop in Kirkby, the security guard follows me "
        "round. My white mates walk straight in and out. I've started leaving my bag at home "
        "so nobody can say anything. I shouldn't have to do that.",
        "themes": [
            "fear",
            "mistrust",
            "people-live-safe-valued-and-fulfilling-lives-and-have-equitable-access-to-services",
        ],
        "dimensions": ["interpersonal", "institutional"],
    },
    {
        "slug": "the-only-one-in-my-class",
        "title": "The only one in my class",
        "kind": "oral-history",
        "borough": "knowsley",
        "language": "en",
        "voice": "en-gb+f4",
        "recorded_on": "2026-02-17",
        "summary": "A woman looks back on being the only Black girl in her Huyton class in "
        "the 1990s, and on a teacher who told her to take a joke.",
        "script": "In the nineteen nineties I was the only Black girl in my class in Huyton. "
        "When the other children called me names, the teacher said I should learn to take a "
        "joke. For years I believed the problem was me. It was only when I had my own "
        "daughter that I understood it never was.",
        "themes": ["education", "courage-and-accountability"],
        "dimensions": ["internalised", "interpersonal", "institutional"],
    },
    {
        "slug": "knowsley-new-neighbours",
        "title": "Knowsley: new neighbours",
        "kind": "borough-film",
        "borough": "knowsley",
        "language": "en",
        "voice": "en-gb+m4",
        "recorded_on": "2026-06-01",
        "summary": "A short film about neighbours who answered online rumours about families "
        "seeking asylum by knocking on doors and asking what they needed.",
        "script": "When families seeking asylum moved into our area, rumours spread online "
        "faster than anyone could check them. This film follows a group of neighbours who "
        "knocked on doors and asked the families what they actually needed. The rumours "
        "stopped when people met each other.",
        "themes": [
            "misinformation",
            "tackling-misinformation-and-communicatingeducating-in-accessible-ways",
            "community-trust-and-confidence-in-institutions",
            "building-knowledge-and-allyship",
        ],
        "dimensions": ["structural"],
    },
    {
        "slug": "the-warehouse-shifts",
        "title": "The warehouse shifts (told in Polish)",
        "kind": "oral-history",
        "borough": "st-helens",
        "language": "pl",
        "voice": "pl+f2",
        "recorded_on": "2026-04-02",
        "summary": "Told in Polish. A warehouse worker in St Helens was always given the "
        "hardest shifts, was not answered when she complained, and now helps new workers "
        "learn their rights.",
        "script": "Przyjechałam do St Helens z Polski dziesięć lat temu. W magazynie kierownik "
        "zawsze dawał nam najcięższe zmiany i mówił, że Polacy są do tego przyzwyczajeni. "
        "Kiedy poskarżyłam się w dziale kadr, nikt mi nie odpowiedział. Dziś pomagam nowym "
        "pracownikom poznać swoje prawa.",
        "themes": ["fair-and-just-systems-and-institutions", "empowerment-to-speak-up"],
        "dimensions": ["institutional", "interpersonal"],
    },
    {
        "slug": "at-the-match",
        "title": "At the match",
        "kind": "vox-pop",
        "borough": "st-helens",
        "language": "en",
        "voice": "en-gb-scotland+m7",
        "recorded_on": "2026-03-28",
        "summary": "A father at a rugby match in St Helens sees racist abuse from the crowd "
        "dealt with at once, and the stand applaud.",
        "script": "I love going to the rugby in St Helens with my son. Last season a few "
        "people behind us started making monkey noises at one of the players. A steward came "
        "over and threw them out, and the whole stand clapped. That's what it should look "
        "like every time.",
        "themes": ["active-anti-racism-and-bravery", "courage-and-accountability"],
        "dimensions": ["interpersonal"],
    },
    {
        "slug": "my-name-at-the-surgery",
        "title": "My name at the surgery",
        "kind": "vox-pop",
        "borough": "sefton",
        "language": "en",
        "voice": "en-gb+f1",
        "recorded_on": "2026-02-26",
        "summary": "At a Bootle GP surgery, one patient's name is the only one the "
        "receptionist will not try to say.",
        "script": "At my GP surgery in Bootle, the receptionist calls out every name except "
        "mine properly. She laughs and says it's too hard, in front of the whole waiting room. "
        "It's a small thing, but it happens every single time, and it makes me not want to go.",
        "themes": [
            "people-live-safe-valued-and-fulfilling-lives-and-have-equitable-access-to-services",
            "authenticity-is-normalised-and-unique-identities-are-celebrated",
        ],
        "dimensions": ["interpersonal", "institutional"],
    },
    {
        "slug": "sefton-by-the-sea",
        "title": "Sefton: by the sea",
        "kind": "borough-film",
        "borough": "sefton",
        "language": "en",
        "voice": "en-gb-x-rp+f2",
        "recorded_on": "2026-05-23",
        "summary": "A short film in which three generations of one Southport family talk "
        "about belonging in a seaside town.",
        "script": "Southport is where I grew up, and it's where I was first told I didn't "
        "look like I was from here. This film talks to three generations of one family about "
        "belonging in a seaside town. The youngest says things are better now; her "
        "grandmother is not so sure.",
        "themes": [
            "belonging",
            "visible-diversity",
            "authenticity-is-normalised-and-unique-identities-are-celebrated",
        ],
        "dimensions": ["internalised", "interpersonal"],
    },
    {
        "slug": "the-housing-list",
        "title": "The housing list",
        "kind": "oral-history",
        "borough": "wirral",
        "language": "en",
        "voice": "en-gb+m7",
        "recorded_on": "2026-01-30",
        "summary": "A family in Birkenhead wait four years for a home, and learn that "
        "families like theirs were always offered the flats nobody else wanted.",
        "script": "When we came to Birkenhead in two thousand and three, we waited four years "
        "on the housing list. Each time we asked, the council told us the rules were the same "
        "for everyone. Later we learned that families like ours were always offered the flats "
        "nobody else wanted. The rules were the same; what happened to us was not.",
        "themes": [
            "fair-and-just-systems-and-institutions",
            "targeted-investment",
            "community-trust-and-confidence-in-institutions",
        ],
        "dimensions": ["structural", "systemic", "institutional"],
    },
    {
        "slug": "wirral-a-new-start",
        "title": "Wirral: a new start (told in French)",
        "kind": "borough-film",
        "borough": "wirral",
        "language": "fr",
        "voice": "fr-fr+f3",
        "recorded_on": "2026-06-12",
        "summary": "Told in French. A short film about a woman who came to Wallasey to "
        "study, found welcome by the sea, and is still asked where she is really from.",
        "script": "Je suis arrivée à Wallasey pour étudier, et j'ai trouvé la mer, le calme et "
        "des gens souvent accueillants. Mais au travail, on me demande encore d'où je viens "
        "vraiment, comme si ma réponse n'était jamais la bonne. Ce film parle de ces "
        "questions, et de ce qu'il faudrait pour que je me sente enfin chez moi.",
        "themes": ["belonging", "a-greater-sense-of-belonging-and-voice-at-all-levels"],
        "dimensions": ["interpersonal"],
    },
    {
        "slug": "served-by-me-or-nobody",
        "title": "Served by me or nobody",
        "kind": "vox-pop",
        "borough": "wirral",
        "language": "en",
        "voice": "en-gb-x-gbcwmd+f5",
        "recorded_on": "2026-04-11",
        "summary": "A café worker in New Brighton is refused by a customer, and a colleague "
        "stands up for her.",
        "script": "I work in a café in New Brighton. A customer once refused to let me serve "
        "her and asked for the English girl instead. My colleague told her it would be me or "
        "nobody. I've never forgotten that she stood up for me.",
        "themes": ["active-anti-racism-and-bravery", "building-knowledge-and-allyship"],
        "dimensions": ["interpersonal"],
    },
]
