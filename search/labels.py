"""Descriptions that the suggestion model compares passages with, one list per label.

The first description of each label is the strategy's own text (read from the taxonomy);
these add the everyday words people use when they tell such a story. Labels are named
exactly as the strategy names them. Written from the strategy, not from labelled passages."""

CUES = {
    # Dimensions of racism
    "Internalised": [
        "I started to believe the stereotypes about people like me.",
        "I felt ashamed of my own culture, my family, my accent or my skin.",
        "I changed how I speak, dress and look to fit in and be accepted.",
        "I thought people like us were not meant for jobs or places like that.",
        "I put myself down and expected less because of my race.",
    ],
    "Interpersonal": [
        "Someone shouted a racist insult at me in the street.",
        "A stranger told me to go back to my own country.",
        "People keep asking where I am really from.",
        "A colleague, classmate or neighbour made racist jokes and called me names.",
        "Racist abuse from one person to another, and people around just watched.",
    ],
    "Institutional": [
        "My employer passed me over for promotion because of my race.",
        "The school punished Black pupils more harshly than white pupils.",
        "The police stop and search us far more than other people.",
        "The organisation's policies and practices treat ethnic minority staff unfairly.",
        "The council, the hospital or the police let us down because of who we are.",
    ],
    "Structural": [
        "Housing, health, schools and the police together fail the same communities.",
        "Services pass you from one to another and none of them takes responsibility.",
        "Across every sector the leaders of the big organisations are almost all white.",
        "Agencies do not collect or share ethnicity data, so the inequality stays hidden.",
    ],
    "Systemic": [
        "Racial inequality is built into how our society works.",
        "History, slavery and empire shaped the inequality we still live with today.",
        "Generation after generation the same communities have poorer health, housing, jobs "
        "and wealth.",
        "The whole system was designed by and for one group of people.",
        "Where you live and your ethnicity still predict your life chances.",
    ],
    # Key issues
    "Fear": [
        "People are afraid to talk about race in case they say the wrong thing.",
        "I am scared for my family's safety because of racist attacks.",
        "Fear of being blamed, of speaking up, of making things worse for us.",
    ],
    "Misinformation": [
        "Lies and rumours spread on social media about refugees and migrants.",
        "False stories about asylum seekers getting free houses and money.",
        "Fake news and misinformation about ethnic minority communities.",
    ],
    "Mistrust": [
        "I do not trust the police or the council to help people like us.",
        "They make promises at consultations and nothing ever changes.",
        "Our community has lost confidence in institutions after being let down again and again.",
    ],
    # Outcomes
    "Diverse leadership and representation across sectors": [
        "There is nobody who looks like me in charge, on the boards or in senior jobs.",
    ],
    "Authenticity is normalised and unique identities are celebrated": [
        "I want to be myself at work and school without hiding my culture, name or faith.",
    ],
    "A greater sense of belonging and voice at all levels": [
        "I never feel I belong here, and nobody listens to what we say.",
    ],
    "Community trust and confidence in institutions": [
        "We do not trust the police, the council or the services meant to help us.",
    ],
    "Extraction of social value and community and economic benefits": [
        "Money and jobs from big projects never reach our community.",
    ],
    "The visibility and celebration of Black, Asian and Minority Ethnic Communities within LCR": [
        "Our history and culture in Liverpool are invisible and never celebrated.",
    ],
    "People live safe, valued, and fulfilling lives and have equitable access to services": [
        "We cannot get fair access to housing, health care and services, and we do not feel safe.",
    ],
    "Inclusive, thriving LCR communities": [
        "Communities divided, people kept apart, neighbourhoods left behind.",
    ],
    "Fair and just systems and institutions": [
        "The rules, the law and the institutions treat us unfairly.",
    ],
    "Tackling misinformation and communicating/educating in accessible ways": [
        "Rumours and lies spread because nobody explains the facts in plain language.",
    ],
}
