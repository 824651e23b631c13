"""Who speaks: reported speech in a document, its kind, its speaker and the words that introduce it.

``find_speech(text)`` returns one ``Speech`` per piece of reported speech, in text order:

- ``direct``: a quotation given to a speaker (``"We will win," he said`` / ``Mr Patel said: "..."``);
- ``partial``: a few quoted words inside a statement attributed to someone
  (``The NCA has warned about the 'significant threat'``): the speaker is the statement's;
- ``indirect``: reported speech without quotation marks (``Police said the man was arrested``,
  ``according to officials, ...``, ``..., a source said``): content to the end of the clause or sentence;
- ``unattributed``: a quotation whose speaker is given nowhere near it;
- ``scare``: quoted words the writer holds at a distance: short, no speaker, no reporting statement around them.

An empty or zero-word quotation is never speech; the old NYT convention ``''...''`` is read as quotation marks.

Speakers are resolved through the document, and only where the text makes it clear: a pronoun (``he said``)
goes to the last person who spoke, a surname (``Rama said``) to the full name written earlier (``Prime
Minister Edi Rama``), ``the agency`` to an earlier ``National Crime Agency (NCA)``; otherwise ``speaker_name``
keeps the words as written (a pronoun that cannot be resolved gets none): never a guess. Roles come from the
speaker's words and the title or apposition written with the name, through ``lexicons/roles.tsv``; cue kinds
(neutral / loaded / anonymous) from ``lexicons/attribution.tsv``.

Cost: the rules run only where a quotation mark or a reporting word is (quotes are a small share of news text).
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache
from typing import NamedTuple

from framing import lexicons as lex
from framing import segment

KINDS = ("direct", "partial", "indirect", "unattributed", "scare")
SCARE_MAX_WORDS = segment.SCARE_QUOTE_MAX_WORDS


class Speech(NamedTuple):
    start: int          # content: inside the quotation marks, or the reported clause
    end: int
    kind: str
    speaker: str        # as written ("" if none)
    speaker_start: int  # -1 if none
    speaker_end: int
    speaker_name: str   # whom it refers to ("" if the text does not make it clear)
    speaker_role: str   # from lexicons/roles.tsv ("" if none)
    cue: str            # the reporting words as written ("" if none)
    cue_start: int
    cue_end: int
    cue_kind: str       # neutral, loaded, anonymous ("" if no cue)
    mark_start: int     # the span with its quotation marks (= start, end for indirect speech)
    mark_end: int


# ---- words ------------------------------------------------------------------------------------------------

# Reporting verbs: speech, and the thought verbs news uses to report a stance ("believes", "denied that").
_CUE_WORDS = (
    "said|says|say|saying|told|tells|tell|added|adds|adding|asked|asks|stated|states|explained|explains|"
    "claimed|claims|claiming|insisted|insists|warned|warns|reported|reports|announced|announces|argued|argues|"
    "declared|declares|noted|notes|replied|replies|admitted|admits|boasted|boasts|revealed|reveals|confirmed|"
    "confirms|commented|tweeted|posted|acknowledged|acknowledges|conceded|concedes|suggested|suggests|stressed|"
    "urged|denied|denies|alleged|alleges|maintained|maintains|believes|believed|believe|thinks|thought|think|"
    "predicted|predicts|vowed|vows|pledged|promised|threatened|recalled|testified|wrote|writes|"
    "complained|complains|accused|described|branded|hailed|slammed|blasted|lamented|conceded|"
    "cautioned|emphasised|emphasized|remarked|responded|answered|continued|went on|put it|"
    "found|finds|concluded|concludes|agreed|agrees|showed|shows|"  # 'A poll found that ...' (only with 'that')
    "told reporters|told the \\w+|said in a statement")
_PERSON_PRONOUNS = frozenset({"he", "she", "him", "her", "his"})
_BARE_PRONOUNS = frozenset({"he", "she", "they", "we", "i", "it"})
# Reporting verbs that introduce a clause without "that" ("Police said the man fled"); every other verb
# reports speech in indirect form only with "that" ("The minister denied that ..."): "revealed the reason",
# "boasted about", "warned of" are not a reported clause.
_PREPOSITIONS = frozenset("about of for to on in at with by from into over against after before during as "
                          "how why what whether".split())
# verbs that report an intention with a to-infinitive ("has vowed to press ahead with a strike")
_INTENT_VERBS = frozenset("vowed vows pledged pledges promised promises threatened threatens".split())
_CLAUSE_WITHOUT_THAT = frozenset("said says say told tells added adds claimed claims insisted insists believes "
                                 "believed believe thinks thought think argued argues".split())
# what research finds needs no 'that' ('one study found the city would gain jobs', 'A 2014 study by ... found
# 31 cases of ...'; PolNeAR dev lost them); 'police found the body' is no statement, so only with these subjects
_FINDING_VERBS = frozenset("found finds showed shows concluded concludes".split())
_RESEARCH = re.compile(r"\b(?:study|studies|survey|poll|polls|report|research|analysis|review|audit|inquiry|data|"
                       r"figures)$", re.I)
# a reporting verb that is a plural noun as often ('asylum claims'): without 'that', a clause must open right
# after it (a subject, as _CLAUSE_OPENER has it)
_NOUN_TOO = frozenset({"claims"})
# the prepositions that open a sentence's scene-setting phrase ('In a statement, ...', 'During the rally, ...')
_OPENING_WORDS = ("in|on|at|after|before|despite|during|following|with|without|since|under|amid|amidst|through|"
                  "throughout|unlike|like|over|within|outside|inside")
# Capitalised words that start sentences but never name a speaker ("Seemingly, ...", "As reported by ...").
_NOT_SPEAKERS = frozenset("as its it this that these those there here then so but and or if when while however "
                          f"seemingly such also by for from {_OPENING_WORDS.replace('|', ' ')} "
                          "meanwhile yet still now today yesterday speaking giving asked having "
                          "monday tuesday wednesday thursday friday saturday sunday january february march april "
                          "june july august september october november december".split())
_DETERMINERS = frozenset("the a an his their its this these those".split())
_ADVERBS = (r"(?:\s+(?:also|then|later|previously|repeatedly|publicly|privately|again|earlier|recently|once|"
            r"further|separately|now|has|have|had|long|would|will|may|might|could|yesterday|today|"
            r"for\s+(?:years|months|decades|weeks|some\s+time)|(?:last|this|next)\s+(?:year|month|week|night)|"
            r"on\s+[A-Z][a-z]+day|in\s+a\s+statement|in\s+an\s+interview|"
            # '-ally' adverbs too ('formally denied'): '(?<!ally)' had left out every one of them, not only 'rally'
            r"[a-z]{3,}ly(?<!family)(?<!daily)(?<!weekly)(?<!italy)(?<!\brally)(?<!\btally)))*")  # 'quietly admitted'

_NAME_WORD = r"(?:[A-Z][\w’'.-]*|[A-Z]\.)"
_NAME = rf"{_NAME_WORD}(?:\s+(?:(?:of|de|van|von|al|bin|der|du|la|le|the|for|and)\s+)?{_NAME_WORD}){{0,5}}"
_PRONOUN = r"(?:he|she|they|it|we|I|He|She|They|It|We)"
# not a verb or 'but' ('she thinks the video should be released but said "..."' had the speaker 'the video should
# be released but')
_NP_WORD = (r"(?!(?:has|have|had|is|was|were|will|would|should|could|can|may|might|must|be|been|but|also|last|on|"
            r"who|which|that)\b|for\s+[a-z])[\w’'.-]+")
_DETERMINER = r"(?:[Tt]he|[Aa]n?|[Oo]ne|[Aa]nother|[Hh]is|[Hh]er|[Tt]heir|[Tt]wo|[Tt]hree|[Ss]ome|[Mm]any|[Ff]ormer)"
_DETERMINED = rf"{_DETERMINER}\s+(?:{_NP_WORD}\s+){{0,6}}?{_NP_WORD}"
# after the verb ('said the opposition leader.', 'according to a Treasury insider'): the whole noun phrase (the
# shortest, as above, gave 'the opposition', 'a Treasury'). It ends before a function word, a verb or a time word
# ('said the minister yesterday'); a lower-case adverb or participle, or a day or a month, ends it only where the
# phrase ends after it ('said the official Tuesday.', 'the crowd gathered outside', 'the minister speaking at'), so
# 'an elderly resident', 'a highly placed source', 'the party's acting leader', 'a Sunday Times reporter' and 'the
# Manchester United manager' stay whole; a title's full stop goes on, no other ('Jr. Fans')
_STOP_AFTER_CUE = ("has|have|had|is|was|were|will|would|should|could|can|may|might|must|be|been|but|also|last|on|at|"
                   "in|to|from|with|by|about|after|before|during|since|this|next|when|while|as|and|or|because|if|who|"
                   "which|that|of|for|yesterday|today|tonight|tomorrow|overnight|earlier|later|late|then|again|now|"
                   "once|soon|ago")
_DAYS_AND_MONTHS = ("Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|May|June|"
                    "July|August|September|October|November|December")
_PHRASE_ENDS = (rf"(?=\s*(?:[,.;:!?)\"”’]|$)|\s+(?:(?:{_STOP_AFTER_CUE}|outside|inside|here|there|nearby|away|back|"
                rf"out|up|down|night|morning|afternoon|evening|[a-z][\w-]*ly)\b|(?:{_DAYS_AND_MONTHS})\b))")
_NOT_AFTER_CUE = (rf"(?!(?:{_STOP_AFTER_CUE})\b)"
                  rf"(?!(?:[a-z][\w-]*(?:ly|ed|ing)|{_DAYS_AND_MONTHS})\b(?![’'])(?:\.(?=\s))?{_PHRASE_ENDS})")
_TITLE_ABBREVIATION = r"(?:Mr|Mrs|Ms|Dr|Gov|Sen|Rep|Gen|Lt|Col|Sgt|Capt|Prof|Rev|St|Supt|Insp|Det|Cllr)\.(?=\s+[A-Z])"
_NP_WORD_AFTER_CUE = rf"(?:(?:[A-Z]\.){{2,}}|{_TITLE_ABBREVIATION}|[\w’'-]+(?:\.[\w’'-]+)*)"
_WORD_AFTER_CUE = rf"(?:close\s+to|familiar\s+with|{_NOT_AFTER_CUE}{_NP_WORD_AFTER_CUE})"
# the first word is the head or its first modifier: only a function word stops it ('said the ruling.', 'the meeting')
_DETERMINED_AFTER_CUE = (rf"{_DETERMINER}\s+(?!(?:{_STOP_AFTER_CUE})\b){_NP_WORD_AFTER_CUE}"
                         rf"(?:\s+{_WORD_AFTER_CUE}){{0,6}}")
# every group noun ends in 's' but 'police': the lookahead turns most words away before the long alternation is
# tried (with the nouns of US news added, the speaker rules had become a tenth slower)
_GROUP_NOUNS = (r"(?=police\b|[A-Za-z]+s\b)(?:police|officials|sources|insiders|prosecutors|witnesses|residents|critics|experts|analysts|"
                r"officers|investigators|campaigners|activists|detectives|authorities|ministers|MPs|doctors|"
                r"researchers|scientists|economists|lawyers|organisers|organizers|neighbours|locals|groups|"
                r"agencies|parties|unions|charities|families|teachers|workers|leaders|diplomats|observers|"
                r"opponents|supporters|protesters|scientists|medics|nurses|managers|executives|investors|traders|"
                # US political news (PolNeAR dev lost '..., opposition lawmakers said', 'Several staff members said')
                r"lawmakers|legislators|senators|aides|advisers|voters|members|staffers|employees|regulators|attorneys|"
                r"spokesmen|spokespeople|representatives|"
                r"strategists|pollsters|historians|Republicans|Democrats)")
# 'Human rights groups say', 'Opposition parties said', 'Aid agencies say': a plural group, no determiner
_BARE_GROUPS = rf"(?:(?:[A-Z][\w-]*\s+)?(?:[a-z][\w-]*\s+){{0,2}}{_GROUP_NOUNS}|{_GROUP_NOUNS})"
# "South Africa's energy minister", "Gary Johnson's doctor"
_POSSESSIVE_NP = rf"{_NAME}[’']s\s+(?:[a-z][\w-]*\s+){{0,3}}[a-z][\w-]*"
_SPEAKER = rf"(?:{_PRONOUN}|{_POSSESSIVE_NP}|{_DETERMINED}|{_NAME}|{_BARE_GROUPS})"
_BARE_GROUP = re.compile(_GROUP_NOUNS, re.I)
# "Steve Brocklesby, Intelligence Manager from NCA said" / "Green, who leads the opposition, added"
# ’ is allowed: an apostrophe ('the campaign’s press secretary'); a closing single quote there is rare, and an
# alternation here ('’ between letters only') made every speaker rule a fifth slower
# US style writes a legislator's party and state in brackets after the name ('Sen. Jane Doe (D-Ore.) said'):
# PolNeAR dev lost quotes and partial quotes of every such speaker
# not a clause or a verb joined by 'and'/'but'/'or' ('The offer did not go down well with members, and the talks
# collapsed, said one union source': the rule took 'well with members' for a speaker with that clause as its
# apposition; PolNeAR dev had such a row), nor a subordinate clause with its own subject ('..., when the state
# incorrectly stated'); an aside without one stays an apposition ('The minister, after meeting union leaders, said')
_NOT_CONJUNCTION = (r"(?!\s*(?:and|but|or|nor|so|yet|as\s+well)\b"
                    r"|\s*(?:while|as|because|although|though|when|if|after|before|since|until)\s+"
                    r"(?:(?:the|a|an|his|her|its|their|this|these|those|he|she|it|they|we|I|there)\b|[A-Z]))")
_APPOSITION = rf"(?:\s?\([A-Z][\w.,-]{{0,14}}\))?(?:\s*,{_NOT_CONJUNCTION}\s*[^,“”\"‘\n]{{2,80}}?,?)?"


# after a quotation: ', he said' / ', said Chief Inspector Jane Hollis of Kent Police' / ' the minister claimed'
# a name after a lower-case description, after a quotation: '"...," said retired teacher Jean Ashby' / '"...,"
# chief executive Anna Lindqvist told reporters' (British and wire style; no determiner before the description)
_NO_DETERMINER = r"(?!(?:the|a|an|his|her|their|its|this|that|one|another|some|many|former)\s)"
_HONORIFIC = r"(?:(?:Dr|Mr|Mrs|Ms|Prof|Professor|Sir|Dame)\.?\s+)?"
# the description may open with the organisation's name ('Treasury chief economist Ana Pike', 'BBC political
# editor Tom Reed', US and wire style): PolNeAR dev lost such quotes
_ORGANISATION_BEFORE = r"(?:(?!(?:The|A|An|His|Her|Their|Its|This|That|One)\s)[A-Z][\w.&-]*\s+){0,2}"
# lower-case words of a description, not the small words inside a name ('Office on Drugs and Crime')
# ('"...," said Dame Eileen Marsh, general secretary ...' took 'said' for a description and the next sentence's
# verb for the tag's: the speaker was 'said Dame Eileen Marsh')
_DESCRIPTION_WORD = (rf"(?!(?:and|of|for|on|the|de|van|von|du|la|le|"
                     rf"{'|'.join(w for w in _CUE_WORDS.split('|') if w.isalpha())})\s)[a-z][\w-]*\s+")
_DESCRIBED_NAME = rf"{_NO_DETERMINER}{_ORGANISATION_BEFORE}(?:{_DESCRIPTION_WORD}){{1,3}}{_HONORIFIC}{_NAME}"
_DESCRIBED_NAME_FULL = re.compile(
    rf"{_NO_DETERMINER}(?P<description>{_ORGANISATION_BEFORE}(?:{_DESCRIPTION_WORD}){{1,3}})"
    rf"(?P<name>{_HONORIFIC}{_NAME})")
# right after a quotation an apposition may be long or in two parts ('Leonard Burman, director of the Tax Policy
# Center and a professor at the Maxwell School, said'; 'Scott Pruitt, the attorney general of Oklahoma, one of the
# states suing, said'): there the name cannot be the subject of anything but the tag
_APPOSITION_AFTER = (r"(?:\s*\([A-Z][\w.,-]{0,14}\))?"
                     rf"(?:\s*,{_NOT_CONJUNCTION}\s*[^,“”\"‘\n]{{2,130}}?,?)?")
_TAG_AFTER_SPEAKER_FIRST = re.compile(
    rf"^[\s,]*(?P<speaker>{_SPEAKER}|{_DESCRIBED_NAME})(?P<apposition>{_APPOSITION_AFTER}){_ADVERBS}\s+"
    rf"(?P<cue>{_CUE_WORDS})\b")
_TAG_AFTER_CUE_FIRST = re.compile(
    rf"^[\s,]*(?P<cue>{_CUE_WORDS})\s+(?P<speaker>{_DETERMINED_AFTER_CUE}(?:\s+(?:of|for|at|from|in)\s+(?:the\s+)?{_NAME})?|"
    rf"{_NAME}(?:,?\s+(?:of|for|at|from|in)\s+(?:the\s+)?{_NAME})?|{_DESCRIBED_NAME})"
    rf"(?P<apposition>,\s+[^.\n“”\"]{{2,80}})?")
# before a quotation: 'Mr Patel said: "' / 'He told the BBC: "' / 'Green added, "'
_TAG_BEFORE = re.compile(
    rf"(?<![\w’'-])(?P<speaker>{_SPEAKER})(?P<apposition>{_APPOSITION}){_ADVERBS}\s+(?P<cue>{_CUE_WORDS})\b"
    rf"(?P<rest>(?:\s+[\w’'-]+){{0,4}}?)\s*(?P<mark>[:,]?)\s*$")
# 'said on Monday', and 'said in its 2023 report that ...' (up to four words before 'that': with two, the
# content began at 'report'); not 'said on Tuesday of the figures' (no clause follows)
_WEEKDAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
# 'her' is the listener only before a clause ('told her the plan was ...'), not in 'told her staff the ...'
_HER_OBJECT = r"her(?=\s+(?:that|the|a|an|he|she|it|they|we|I|there|this|these|those|his|their|its|our)\b)"
_WHEN = (r"(?P<when>\s+(?:on|last|this|in|at|during|after|before|while)(?:\s+[\w’'-]+){1,6}?(?=\s+that\b)|"
         # a bare day, US style ('announced Tuesday that ...', 'said Monday the plan ...')
         rf"\s+(?:{_WEEKDAYS}|yesterday|today)(?:\s+(?:night|morning|afternoon|evening))?\b|"
         # after the time a second word only for a part of the day or a name ('on Monday night', 'in New York'), or
         # the noun after an article ('in an interview'): not a clause's subject ('said on Monday he would ...' lost
         # its 'he'; 'said on Tuesday a man was ...' and 'said last week officers had ...' lost 'a', 'officers'), nor
         # a phrase ('said on Monday at a rally in Leeds.' gave the content 'a rally in Leeds')
         # 'last'/'this' only before a time ('told MailOnline this was owing to ...' lost its 'this was')
         r"\s+(?:(?:last|this|next)\s+(?:week|month|year|night|morning|afternoon|evening|weekend|spring|summer|"
         r"autumn|fall|winter|[A-Z][a-z]+day)\b"
         # (a capitalised word goes on a place after 'in'/'at' only: 'said on Saturday Arsenal deserved to win')
         r"|on\s+(?:(?:a|an|the|his|her|their|its)\s+[\w-]+|[\w-]+(?:\s+(?:night|morning|afternoon|evening|\d[\w-]*))?)"
         r"|(?:in|at)\s+(?:(?:a|an|the|his|her|their|its)\s+[\w-]+|[\w-]+(?:\s+(?:night|morning|"
         r"afternoon|evening|(?!(?:He|She|They|It|We|I|You|There|The|His|Her|Their|Its|This|These|Those|A|An)\b)"
         r"[A-Z\d][\w-]*))?)))?")
# indirect speech, speaker first: 'Police said (that) ...', 'The minister denied that ...'
_INDIRECT = re.compile(
    rf"(?:^|(?<=[\s(]))(?P<speaker>{_SPEAKER})(?P<apposition>{_APPOSITION}){_ADVERBS}\s+"
    rf"(?P<cue>{_CUE_WORDS})\b(?P<object>\s+(?:reporters|journalists|[Tt]he\s+[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*)*|"
    rf"(?!(?:{_WEEKDAYS})\b)[A-Z][\w.-]+|him|{_HER_OBJECT}|them|us|me|MPs))?{_WHEN}"
    rf",?\s+(?P<that>that(?:\s+|(?=,)))?(?=\S)")
_ACCORDING_TO_FIRST = re.compile(rf"^(?P<cue>[Aa]ccording to)\s+(?P<speaker>(?:{_SPEAKER}|{_DESCRIBED_NAME})"
                                 rf"(?:\s+(?:of|for|at)\s+(?:the\s+)?{_NAME})?)\s*,\s*")
# 'According to a complaint filed by the regulator on Monday and a second one filed by the state, ...':
# a sentence opening with 'according to' gives its source up to the comma, however it is written
_ACCORDING_TO_ANY = re.compile(r"^(?P<cue>[Aa]ccording to)\s+(?P<speaker>[^,;:“”\"‘\n]{3,160}?)\s*,\s*")
# 'attorneys for the family said', 'officials at the agency said': a group named with what it belongs to
_GROUP_OF = (r"(?:(?<=[a-z]s)\s+(?:for|of|at|from|close\s+to|familiar\s+with)\s+(?:the\s+)?"
             r"(?:[\w’'-]+\s+){0,2}?[\w’'-]+)?")
_TRAILING_TAG = re.compile(
    rf",\s*(?:(?P<speaker>{_SPEAKER}{_GROUP_OF})(?P<apposition>{_APPOSITION})\s+(?P<cue>{_CUE_WORDS})|"
    # ', said Brian Baker, a longtime political adviser.': wire style names the speaker after the verb, then
    # describes them (PolNeAR dev lost every such statement)
    rf"(?P<cue2>{_CUE_WORDS})\s+(?P<speaker2>{_DETERMINED_AFTER_CUE}|{_DETERMINED}|{_NAME})(?:\s*,\s*[^,;:“”\"‘\n]{{2,120}}?)?|"
    rf"(?P<cue3>according to)\s+(?P<speaker3>(?:{_DETERMINED_AFTER_CUE}|{_SPEAKER})(?:\s+(?:of|for|at)\s+(?:the\s+)?{_NAME})?))"
    r"(?:\s*\([A-Z][\w.-]{0,10}\))?"  # '..., according to the organizer Alliance for Schools (AFS).'
    rf"(?:\s+[\w’'-]+){{0,4}}\s*[.!?]?[\"'”’)]*\s*$"
    # '..., according to official figures.': 'according to' closing a sentence gives its source, however written
    # ... and a description or two of it after commas ('according to an analysis by Jo Reyes, a former tax aide
    # now teaching at NYU.'), not a clause joined by a conjunction
    rf"|,\s*(?P<cue4>according to)\s+(?P<speaker4>[^,;:“”\"‘\n]{{2,120}}?)"
    rf"(?:\s*,{_NOT_CONJUNCTION}\s*(?P<description4>[^,;:“”\"‘\n]{{2,120}}?)"
    rf"(?:\s*,{_NOT_CONJUNCTION}\s*[^,;:“”\"‘\n]{{2,120}}?)?)?\s*[.!?]?[\"'”’)]*\s*$")
_STANCE_WORDS = (r"called|calling|calls|call|described|describing|describes|referred\s+to|refers\s+to|referring\s+to|"
                 r"dubbed|dubbing|labelled|labeled|labelling|labeling|branded|branding|accused|accusing|accuses|accuse|"
                 r"admitting|"
                 r"criticised|criticized|criticising|criticizing|praised|praising|dismissed|dismissing|hailed|"
                 r"mocked|mocking|slammed|blasted|promising|telling|saying|stressing|warning|insisting|claiming|"
                 r"boasted|boasting|claimed|warned|spoke\s+of|speaks\s+of|talked\s+of|wrote\s+of|"
                 r"likened|likening|likens|compared|comparing|condemned|condemning|condemns|lauded|lauding|cited|citing|cites|"
                 r"referenced|exhorted|urged|urging|pounding|attacked|attacking")
# no quotation mark, but an apostrophe inside a word ("the council’s members") is none: the closing single mark
# '’' stopped the rules at every possessive ('called half of the council’s members “cowards”' was a scare quote)
_NOT_A_QUOTE = r"(?:[^\"“”‘’]|(?<=\w)’(?=\w))"
_STANCE = re.compile(
    rf"(?:^|(?<=[\s(]))(?P<speaker>{_SPEAKER})(?P<apposition>{_APPOSITION})(?:\s+who)?{_ADVERBS}\s+"
    # an adverb after the auxiliary too ('has been repeatedly attacking the mayor as a "serial fibber"')
    rf"(?:(?:is|was|were|are|has\s+been|had\s+been|have\s+been)\s+(?:[a-z]{{3,}}ly\s+)?)?(?P<cue>{_STANCE_WORDS})\b"
    rf"(?P<between>{_NOT_A_QUOTE}{{0,120}}?)\s*$")
_WHAT_THEY_CALL = re.compile(rf"\bwhat\s+(?P<speaker>{_PRONOUN}|{_NAME}|(?:[a-z]+\s+)?{_GROUP_NOUNS}|[a-z]+\s+[a-z]+)"
                             r"\s+(?P<cue>calls?|called|describes?|described)\s*$")  # 'what several critics called'

_POSSESSIVE_CLAIM = re.compile(rf"(?:(?P<speaker>{_NAME})[’']s?|(?<![\w’'])(?P<pronoun>[Hh]is|[Hh]er|[Tt]heir))\s+(?P<cue>claim|claims|statement|assertion|description|"
                               rf"promise|pledge|warning|accusation|remark|comments?)\b{_NOT_A_QUOTE}{{0,80}}$")
_PARTICIPLE = re.compile(r",\s+(?P<cue>describing|calling|saying|adding|insisting|warning|claiming|branding|"
                         rf"dismissing|labelling|labeling|dubbing)\b{_NOT_A_QUOTE}{{0,80}}$")
_SUBJECT = re.compile(rf"(?P<speaker>{_SPEAKER})(?P<apposition>{_APPOSITION}){_ADVERBS}\s+[a-z]")
# 'Shouts of "Get back!"', 'chants of "Sack the board!"': a crowd's words, nobody's in particular
_CROWD = re.compile(r"\b(?:shouts?|chants?|cries|cry|calls|roars?|screams?|banners?|placards?|signs?)\s+(?:of|reading|saying)"
                    r"\s*[:,]?\s*$", re.I)
_REPORTING_WORD = re.compile(rf"\b(?:{_CUE_WORDS}|according to)\b", re.I)
_CLAUSE_END = re.compile(r"[;:]\s|\s[–—]\s|,\s+(?:but|while|whereas|although)\s")
_HARD_CLAUSE_END = re.compile(r"[;:]\s|\s[–—]\s")
_SENTENCE_CLOSERS = ".!?…\"'”’)] "

_TITLE = (r"(?:[A-Z][a-z]+(?:an|ish|ese|i)\s+(?=(?:Prime|Foreign|Deputy|President|Minister|Interior|Home|Justice)\b))?"
          r"(?:(?:Mister|Interior|Justice|Prime|Home|Foreign|Deputy|Chief|Detective|Police|Assistant|Acting|Former|"
          r"Shadow|Vice|Senior|Lord|Lady|Sir|Dame|Dr|Mr|Mrs|Ms|Miss|Professor|Prof|President|Senator|Sen|Rep|"
          r"Governor|Gov|Judge|Minister|Secretary|Chancellor|Inspector|Superintendent|Constable|Sergeant|Sgt|Det|"
          r"Supt|Insp|Commissioner|Commander|General|Gen|Colonel|Col|Captain|Capt|Mayor|Councillor|Cllr|Bishop|"
          r"Rev|Father|Pope|King|Queen|Prince|Princess|Chairman|Executive|Officer|Manager|Director|Head|Leader|"
          r"Spokesman|Spokeswoman)\.?\s+)+")
_TITLES = re.compile(rf"^{_TITLE}")
_PLACE_POSSESSIVE = re.compile(r"^[A-Z][\w-]*(?:\s+[A-Z][\w-]*)?[’']s\s+(?=[A-Z])")
# US style names the state or city before the title ('Ohio Gov. Ann Keller', 'New York Mayor Bill Hanley'):
# PolNeAR dev's speaker names kept the place
# (not a royal or family title, 'Martin Luther King III', 'Mary Prince Williams', where the words are a name)
_PLACE_TITLE = re.compile(rf"^(?:[A-Z][a-z]+\s+){{1,2}}(?!(?:King|Queen|Prince|Princess|Lord|Lady|Sir|Dame|Father|Mister|"
                          rf"Mr|Mrs|Ms|Miss|Dr)\b){_TITLE}")
_LOWER_WORDS = frozenset("of de van von al bin der du la le the".split())


@lru_cache(maxsize=1)
def _cue_kinds() -> dict[str, str]:
    """Each reporting word's kind from the attribution lexicon: neutral, loaded or anonymous."""
    kinds = {}
    for entry in lex.packaged_lexicon("attribution").entries:
        kind = "anonymous" if entry.category == "anonymous_source" else entry.category
        kinds.setdefault(entry.pattern.lower(), kind)
    return kinds


@lru_cache(maxsize=1)
def _roles() -> dict[str, list[tuple[int, tuple[str, ...], str]]]:
    """The role lexicon by first word: (precedence, words, role), precedence being the lexicon's order."""
    by_first: dict[str, list] = {}
    for order, entry in enumerate(lex.packaged_lexicon("roles").entries):
        words = tuple(entry.pattern.lower().split())
        by_first.setdefault(words[0], []).append((order, words, entry.category))
    return by_first


@lru_cache(maxsize=8192)  # pure, and a document names the same speakers again and again
def cue_kind(cue: str, speaker_role: str = "") -> str:
    """The kind of the reporting words: ``loaded`` when they judge the speaker or the claim ("claimed",
    "admitted"), else ``anonymous`` when they introduce an anonymous source, else ``neutral``."""
    if not cue:
        return ""
    words = cue.lower().split()
    kinds = _cue_kinds()
    kind = "neutral"
    for size in range(len(words), 0, -1):
        found = kinds.get(" ".join(words[:size]))
        if found:
            kind = found
            break
    return "anonymous" if kind == "neutral" and speaker_role == "anonymous" else kind


@lru_cache(maxsize=8192)  # pure, and a document names the same speakers again and again
def role_of(*phrases: str) -> str:
    """The role of a speaker from the words that name or describe them (of the entries found, the first in
    the lexicon's order). One pass over the words, looking up entries by their first word (a scan of every
    entry for every speaker was a third of the time of finding speech)."""
    tokens = _TOKEN.findall(" ".join(phrases).lower().replace("’", "'"))
    by_first = _roles()
    best = None
    for i, token in enumerate(tokens):
        for order, words, role in by_first.get(token, ()):
            if (best is None or order < best[0]) and tuple(tokens[i:i + len(words)]) == words:
                best = (order, role)
    return best[1] if best else ""


# ---- quotation marks ----------------------------------------------------------------------------------------

def _shadow(text: str) -> str:
    """The text with the old NYT ``''...''`` convention turned into one double mark and a space, same length
    (``''We`` -> `` "We``, ``win.''`` -> ``win." ``), so that offsets stay those of the text."""
    if "''" not in text:
        return text
    chars = list(text)
    for match in re.finditer(r"''", text):
        i = match.start()
        before = text[i - 1] if i > 0 else " "
        if before.isspace() or before in "([{—–-":  # opening
            chars[i], chars[i + 1] = " ", '"'
        else:
            chars[i], chars[i + 1] = '"', " "
    return "".join(chars)


def _content(text: str, start: int, end: int) -> tuple[int, int]:
    """The words inside a quotation (marks, spaces and trailing sentence punctuation left out)."""
    inner_start, inner_end = start + 1, end - 1 if end - start >= 2 and text[end - 1] in "\"'”’»“ " else end
    while inner_start < inner_end and text[inner_start] in " \"'“‘«":
        inner_start += 1
    while inner_end > inner_start and text[inner_end - 1] in " ,":
        inner_end -= 1
    return inner_start, inner_end


# ---- the rules ----------------------------------------------------------------------------------------------

class _Tag(NamedTuple):
    speaker: str
    speaker_start: int
    speaker_end: int
    apposition: str
    cue: str
    cue_start: int
    cue_end: int


_IRREGULAR_PAST = frozenset("met went came made took gave spoke wrote left held ran saw sent led won lost paid kept "
                            "brought thought rose fell hit cut set put quit read sat stood told said slept grew began "
                            "became found knew felt spent built sold bought taught caught fought drove broke chose "
                            "stole struck shot fled hid lay swam threw wore".split())
# a reporting verb inside the words before a verb means they are no speaker (a clause, not a name)
_VERB_OF_SAYING = re.compile(r"\s(?:said|says|told|tells|added|adds|claimed|insisted|warned|argued|noted|stated)\s")


def _tag(match: re.Match | None, base: int, speaker_group="speaker", cue_group="cue") -> _Tag | None:
    """The speaker and cue a rule found, or None when the 'speaker' is a word that never names one
    ("Seemingly", "As", "Its": capitalised only because it starts the sentence)."""
    if match is None:
        return None
    apposition = match.groupdict().get("apposition") or ""
    if apposition.strip(" ,").lower() in _BARE_PRONOUNS:  # 'As for the bent, he said, "..."': he speaks
        pronoun = apposition.strip(" ,")
        start = base + match.start("apposition") + apposition.index(pronoun)
        return _Tag(pronoun, start, start + len(pronoun), "", match.group(cue_group), base + match.start(cue_group),
                    base + match.end(cue_group))
    speaker = match.group(speaker_group)
    start = base + match.start(speaker_group)
    cut = _sentence_break(speaker)
    if cut:  # the sentence's words next to the verb ('... in the first place. Reyes reports', 'said Tom Clarke. The')
        first = match.start(cue_group) < match.start(speaker_group)
        start += 0 if first else cut[1]
        speaker = speaker[:cut[0]] if first else speaker[cut[1]:]
    speaker = speaker.rstrip(".,")
    if _VERB_OF_SAYING.search(speaker):
        return None  # 'The firm said profits fell and added that ...': 'The firm said profits fell and' is no speaker
    words = speaker.split()
    if words and words[-1] in ("and", "or", "but"):
        # 'The airport apologised and said ...': the subject of both verbs speaks; with no verb before 'and' the
        # words are no speaker ('... at the car and says')
        # the last verb before 'and' ('The newly elected mayor thanked voters and said': 'thanked', not 'elected')
        verb = next((i for i in range(len(words) - 2, 0, -1)
                     if words[i].islower() and (words[i].endswith("ed") or words[i] in _IRREGULAR_PAST)), None)
        if verb is not None:
            speaker = " ".join(words[:verb])
        else:
            # 'She then urges her husband to come out of the car and repeatedly says, "..."': the sentence's subject
            searched, at = match.string, start - base  # the rule's string and where the words start in it
            opening = max(searched.rfind(". ", 0, at), searched.rfind("\n", 0, at)) + 1
            opening += len(searched[opening:at]) - len(searched[opening:at].lstrip())
            subject = _SUBJECT_VERB.match(searched, _after_opener(searched, opening))
            if subject is None or subject.end() > at \
                    or subject.group("speaker").split()[0].lower() in _NOT_SPEAKERS:
                return None
            speaker, start = subject.group("speaker"), base + subject.start("speaker")
    if not speaker or speaker.split()[0].lower() in _NOT_SPEAKERS or speaker.lower() in _DETERMINERS \
            or speaker.split()[0] in _RELATIVE_WORDS:
        return None  # a determiner alone ('The think tank'): 'think' is no verb there; 'which officials say'
    cue = match.group(cue_group)
    apposition = match.groupdict().get("apposition") or ""
    return _Tag(speaker, start, start + len(speaker), apposition.strip(" ,"), cue, base + match.start(cue_group),
                base + match.end(cue_group))


_ABBREVIATED = frozenset("Mr Mrs Ms Dr Gov Sen Rep Del Gen Lt Col Sgt Capt Prof Rev St Supt Insp Det Cllr Jr Sr Mt Ft "
                         "Maj Adm Brig Cmdr Cpl Pvt Fr Msgr Hon Atty Comdr Gens Reps Sens Govs "
                         "Co Corp Inc Ltd Bros No Jan Feb Mar Apr Aug Sept Sep Oct Nov Dec "
                         # US states as newspapers abbreviate them ('Calif. Gov. Gavin Newsom')
                         "Ala Ariz Ark Calif Colo Conn Fla Ga Ill Ind Kan Ky La Md Mass Mich Minn Miss Mo Mont Neb "
                         "Nev Okla Ore Pa Penn Tenn Tex Va Vt Wash Wis Wyo".split())
_POSSIBLE_SENTENCE_END = re.compile(r"(?<![\w’'.-])([\w’'-]+)\.(?=\s+[A-Z])")


def _sentence_break(speaker: str) -> tuple[int, int] | None:
    """Where a full stop ends a sentence inside a speaker's words (its position, and where the next sentence's
    words start), or None: '"...," said Tom Clarke. The firm ...' gave the speaker 'Tom Clarke. The' (a name
    word may hold a full stop: 'Gov.', 'Jr.', 'J.', 'U.S.')."""
    found = None
    for stop in _POSSIBLE_SENTENCE_END.finditer(speaker):
        if len(stop.group(1)) > 1 and stop.group(1) not in _ABBREVIATED:
            after = stop.end() + len(speaker[stop.end():]) - len(speaker[stop.end():].lstrip())
            found = (stop.end(1), after) if found is None else (found[0], after)
    return found


# '"..." ― Lena Brook': a name after a dash right after the quotation, ending the line or its sentence (reader
# quotes, epigraphs, pull quotes)
_DASH_SPEAKER = re.compile(rf"[ \t\xa0]*[―—–][ \t\xa0]*(?P<speaker>{_NAME})[ \t\xa0]*(?:[.,;]?[ \t\xa0]*$|[.;][ \t\xa0]+(?=[A-Z]))",
                           re.M)


# a clause after the verb: 'that' and two words within its sentence ('told an invited crowd at the club that he
# wants'), or a subject (a pronoun, a determiner or a capital and a few words) and a finite verb after an optional
# time ('said on Monday it would appeal', 'said Kim's mental state is'); 'said in a statement on Monday.' and 'told
# The Guardian on Monday.' are no clause and stay tags
_AUXILIARY_WORDS = "is|was|were|are|has|have|had|will|would|could|should|can|may|might|must|did|does|do"
_AUXILIARY = rf"(?:{_AUXILIARY_WORDS})\b"
_SUBJECT_WORDS = r"(?:he|she|it|they|we|I|you|there|(?:the|a|an|his|her|its|their|this|these|those)(?:\s+[\w’'-]+){1,4}?)"
_SUBORDINATORS = "as|when|while|after|before|because|if|where|since|until|though|although|once|so"
# a subject and a verb right after a closing tag's verb: a statement of its own ('..., one study found the city would
# gain jobs.'), not the end of a tag ('..., the minister said on Monday.')
_CLAUSE_AFTER_TAG = re.compile(rf"\s+(?:that\s+|(?:{_SUBJECT_WORDS}|[A-Z][\w’'.-]*)\s+(?:{_AUXILIARY}|[a-z]+ed\b))")
# ... and a clause after the verb, a subject and a finite verb ('found the city would gain jobs'), not a thing found
# ('Researchers found the wreck of the Endurance'; 'police found the body')
# (a word ending in -s is as often a plural noun, 'told her mother the news', so only auxiliaries and past tenses)
_FOUND_CLAUSE = re.compile(rf"(?:[\w’'.,$%-]+\s+){{1,6}}?"
                           rf"(?:{_AUXILIARY}|[a-z]+ed|{'|'.join(sorted(_IRREGULAR_PAST))})\b")
_NEW_STATEMENT = re.compile(
    # 'that' and a subject, in the same clause ('said, adding that ...' and 'a statement that was released' are not)
    rf"[^.!?;:,\n]{{0,80}}?\bthat\s+(?!(?:{_AUXILIARY_WORDS})\b|[a-z]+ed\b)\S+\s+\S+"
    rf"|(?:\s+(?:on|last|this|in|at)\s+[\w-]+(?:\s+[\w-]+)?)?\s+(?!(?:{_SUBORDINATORS})\b)(?:"
    rf"{_SUBJECT_WORDS}\s+(?:[a-z]+ed\b|[a-z]+s\b|{_AUXILIARY})"
    # after a name only an auxiliary is a verb: 'told BBC Radio Kent's breakfast news' is no clause
    rf"|[A-Z][\w’'.-]*(?:\s+[\w’'-]+){{0,3}}?\s+{_AUXILIARY}"
    # a subject without a determiner: 'said officers were', 'told reporters the plan was'
    rf"|(?:[a-z][\w’'-]*\s+){{1,3}}?{_AUXILIARY})")


def _tag_after(text: str, end: int, line_end: int, cues: _Cues) -> _Tag | None:
    if text[end:end + 3].lstrip(" \xa0")[:1] in ("―", "—", "–"):
        dash = _DASH_SPEAKER.match(text, end, line_end)
        speaker = dash.group("speaker").rstrip(".,") if dash else ""
        if speaker and speaker.split()[0].lower() not in _NOT_SPEAKERS:
            return _Tag(speaker, dash.start("speaker"), dash.start("speaker") + len(speaker), "", "", -1, -1)
    if not cues.any(_CUE, end, min(line_end, end + 160)):
        return None  # both rules need a reporting word there
    after = text[end:min(line_end, end + 160)]
    tag = _tag(_TAG_AFTER_SPEAKER_FIRST.match(after), end)
    if tag and text[end - 2:end - 1] == "." and _NEW_STATEMENT.match(text, tag.cue_end):
        # '"... They are angry." The Department for Transport said the offer was fair.': a quotation closed by a
        # full stop, then a sentence that reports something else; its speaker is not the quotation's
        return None
    if tag is None:
        it = _IT_SAID.match(after)
        # the quotation ends with its comma, inside the marks or (British style) right after them
        if it and (text[end - 2:end - 1] in (",", "?", "!") or after.lstrip(" ")[:1] == ","):
            # '"...," it said.': an organisation or a newspaper named before ('it' is no speaker elsewhere)
            return _Tag(it.group("speaker"), end + it.start("speaker"), end + it.end("speaker"), "",
                        it.group("cue"), end + it.start("cue"), end + it.end("cue"))
    return tag or _tag(_TAG_AFTER_CUE_FIRST.match(after), end)


_IT_SAID = re.compile(rf"[\s,]*(?P<speaker>it)\s+(?P<cue>{_CUE_WORDS})\b(?=[\s,.;:]*(?:$|[A-Z“\"‘]|on\b|in\b))")


def _tag_before(text: str, start: int, line_start: int, cues: _Cues) -> tuple[_Tag | None, bool]:
    """A speech tag before a quotation, and whether it introduces the whole quotation (``said: "``,
    ``told the BBC, "``) rather than a statement the quoted words are part of (``warned about the '``)."""
    base = max(line_start, start - 160)
    before = text[base:start]
    # the tag is in the same sentence as the quote: start after the last sentence end before it
    cut = max(before.rfind(". "), before.rfind("? "), before.rfind("! "), before.rfind("” "), before.rfind('" '))
    if cut >= 0:
        base += cut + 2
        before = text[base:start]
    # the rule ends with a reporting word (<= 4 words), at most 4 more words and a mark: without one in the
    # last 9 words, its search from every position of the 160 characters (a tenth of the time) cannot match
    cue = cues.last(_CUE, base, start)
    if cue < 0 or len(text[cue:start].split()) > 9:
        return None, False
    match = _TAG_BEFORE.search(before, _after_opener(before))
    tag = _tag(match, base)
    # 'said in a statement that, "..."': the quotation continues a reported clause, as a partial quote does
    rest = match.group("rest").strip() if match else ""
    return tag, bool(tag) and (bool(match.group("mark")) or not rest) and not rest.endswith("that")


_PARTICIPLE_BEFORE = re.compile(
    r"(?:(?:,|\band|\bwhile|\bbefore|\bafter)\s+(?P<cue>saying|adding|asking|tweeting|writing|asserting|declaring|"
    r"chanting|shouting|singing|noting|explaining|insisting|warning|arguing|replying|responding|stating)\s*[:,]"
    # a verb of shouting, chanting or singing takes the quotation as its object ('Strikers chanted "Fair pay now!"')
    r"|\s(?P<shout>chanted|shouted|yelled|screamed|sang|chant|shout|chants|shouts)\s*[:,]?)\s*$")
_SHOUTS = ("chanted", "shouted", "yelled", "screamed", "sang", "chant", "shout", "chants", "shouts")


def _introduced(text: str, start: int, line_start: int, cues: _Cues) -> _Tag | None:
    """A quotation introduced without its speaker right before the verb: a paragraph ending 'He said:' or 'The
    Times reports:' before a quotation that opens the next paragraph; '..., saying, "..."' / 'and tweeting,
    "..."' after a clause whose subject speaks ('The council stood by its decision, saying, "..."')."""
    if start == line_start:
        window = max(0, line_start - 400)  # not a copy of all the text before it for every paragraph
        previous_end = window + len(text[window:line_start].rstrip())
        if previous_end > window and text[previous_end - 1] == ":":
            previous_start = text.rfind("\n", 0, previous_end) + 1
            tag, _ = _tag_before(text, previous_end, previous_start, cues)
            return tag
        return None
    before = text[max(line_start, start - 16):start].rstrip()
    if not (before[-1:] in (",", ":") and before[:-1].rstrip().endswith("ing")) \
            and not before.rstrip(":,").endswith(_SHOUTS):
        return None  # a participle and a comma or colon right before the quotation: most quotations have none
    base = max(line_start, start - 300)
    head = text[base:start]
    participle = _PARTICIPLE_BEFORE.search(head, max(0, len(head) - 40))
    if participle is None:
        return None
    at = participle.start("shout") if participle.group("shout") else participle.start()
    cut = max(head.rfind(". ", 0, at), head.rfind("? ", 0, at), head.rfind("! ", 0, at), head.rfind("” ", 0, at),
              head.rfind('" ', 0, at))
    if cut < 0 and base > line_start:
        return None  # the sentence starts further back than we look
    subject_at = cut + 2 if cut >= 0 else 0
    subject = _SUBJECT.match(head, _after_opener(head, subject_at))  # 'During a speech, Trump attacked ..., saying'
    tag = _tag(subject, base, cue_group="speaker") if subject and subject.end() <= at else None
    if tag is None:
        return None
    cue = "shout" if participle.group("shout") else "cue"
    return tag._replace(cue=participle.group(cue), cue_start=base + participle.start(cue),
                        cue_end=base + participle.end(cue))


def _sentence_around(spans: list[segment.Span], starts: list[int], start: int) -> tuple[int, int]:
    at = bisect.bisect_right(starts, start) - 1  # sentences are in order and do not overlap
    if at >= 0 and start < spans[at].end:
        return spans[at].start, spans[at].end
    return start, start


def _statement_tag(text: str, sentence: tuple[int, int], quote_start: int, cues: _Cues) -> _Tag | None:
    """A reporting statement around a short quote in the same sentence ('The NCA has warned about the
    'significant threat'...', 'She described the decision as 'deeply disappointing''), or after it
    ('..., the agency said.')."""
    s_start, s_end = sentence
    head = text[s_start:quote_start]
    # each rule runs only where its own words are (a search of _INDIRECT from every position is costly)
    tag = _first_tag(_INDIRECT, head, s_start) if cues.any(_CUE, s_start, quote_start) else None
    if tag:
        return tag
    if cues.any(_ACCORDING, s_start, s_start + 1):
        tag = _tag(_ACCORDING_TO_FIRST.match(head) or _ACCORDING_TO_ANY.match(head), s_start)
        if tag:
            return tag
    if not cues.any(_CUE | _ACCORDING, quote_start, s_end):
        return None
    match = _TRAILING_TAG.search(text[quote_start:s_end])
    return _trailing(match, quote_start) if match else None


def _stance_tag(text: str, sentence: tuple[int, int], quote_start: int, cues: _Cues) -> _Tag | None:
    """A speaker who names or judges something with the quoted words, earlier in the same sentence: 'Clinton
    called half of his supporters "deplorables"', 'described the decision as "deeply disappointing"', 'what
    they call "self-centered"', 'Trump's claim that there were "thousands of shootings"'. A naming verb right
    before the quote ('a practice called "selling the work"') names a term: no speaker."""
    s_start, _ = sentence
    head = text[s_start:quote_start]
    match = _WHAT_THEY_CALL.search(head) if cues.any(_WHAT, s_start, quote_start) else None
    if match:
        return _tag(match, s_start)
    tag = _first_tag(_STANCE, head, s_start, _names_with_quote) if cues.any(_STANCE_WORD, s_start, quote_start) \
        else None
    if tag:
        return tag
    match = _POSSESSIVE_CLAIM.search(head) if cues.any(_CLAIM, s_start, quote_start) else None
    if match and match.group("pronoun"):  # 'her claim that the plan would "pay for itself"': a possessive pronoun
        return _Tag(match.group("pronoun"), s_start + match.start("pronoun"), s_start + match.end("pronoun"), "",
                    match.group("cue"), s_start + match.start("cue"), s_start + match.end("cue"))
    if match:
        return _tag(match, s_start)
    # '..., describing it as "a model for Europe"': the subject speaks
    participle = _PARTICIPLE.search(head) if cues.any(_PARTICIPLE_WORD, s_start, quote_start) else None
    subject = _SUBJECT.match(head, _after_opener(head)) if participle else None
    if subject and subject.end() <= participle.start():
        tag = _tag(subject, s_start, cue_group="speaker")  # its cue is the participle, set below
        if tag:
            return tag._replace(cue=participle.group("cue"), cue_start=s_start + participle.start("cue"),
                                cue_end=s_start + participle.end("cue"))
    return None


def _clause_tag(text: str, sentence: tuple[int, int], quote_start: int, cues: _Cues) -> _Tag | None:
    """Quoted words inside a clause reported by a verb earlier in their sentence, whatever the rules above
    made of its speaker: 'Jo Marsh, a lecturer ... and a former adviser to ..., said that the council was
    "reviewing every option"', 'a report by the inspectors that says the ward is "dangerously understaffed"'. The
    last reporting verb before the quote, followed by 'that' or (for 'said', 'added', ...) a clause's
    subject, with no clause boundary before the quote. The speaker is the one ending right before the verb
    when there is one, else none is given (the words are someone's, the text does not say whose here)."""
    s_start, _ = sentence
    at = cues.last(_CUE, s_start, quote_start)
    if at < 0 or quote_start - at > 200:
        return None
    sentence_text = text[s_start:quote_start + 1]
    tail = _CUE_TAIL.match(sentence_text, at - s_start)
    if tail is None or s_start + tail.end() > quote_start + 1:
        return None
    cue_word = tail.group("cue").split()[0].lower()
    # 'said Patel was "reckless"': the capitalised word after the verb opens the clause, it is no object
    opens = tail.start("object") if tail.group("object") and not cue_word.startswith("tel") else tail.end()
    if not (tail.group("that") or cue_word in _WITHIN_WITHOUT_THAT | _CLAUSE_WITHOUT_THAT
            and _CLAUSE_OPENER.match(sentence_text, opens)):
        return None
    if _CLAUSE_END.search(text, s_start + tail.end(), quote_start):
        return None
    tag = _speaker_before(sentence_text, at - s_start, s_start, tail)
    return tag or _Tag("", -1, -1, "", tail.group("cue"), s_start + tail.start("cue"), s_start + tail.end("cue"))


# cue words that are nouns or names as often as verbs ('the United States', 'TV shows', 'his notes'): no reporting
# statement on their own
_NOT_VERBS_ALONE = frozenset("states notes shows showed show found finds thought continued went put posted".split())
# 'the so-called "peace roadmap"' is the writer's distance; 'a page called "Find Chloe"' names a thing;
# 'was added to the dictionary along with "omnishambles"' reports no one (the blind-labelled passages)
_NOT_SAYING = re.compile(r"\bso[- ]$")
# what ends the reach of a verb before a quote: a clause or sentence boundary, a dash ('dubbed "Operation Joint
# Guardian," but with guardians like KFOR—whoremongers—... international "peacekeepers"': seed 004's irony), or
# another quotation (the verb is that one's)
_BREAK = re.compile(r"[;:]\s|[–—]|[,.!?][\"”’']?\s+(?:but|while|whereas|although|yet)\s|[.!?][\"”’']?\s|[\"“”]")
_NAMING = frozenset("called calls call dubbed labelled labeled".split())
_PASSIVE_BEFORE = re.compile(r"\b(?:is|was|were|are|been|be)\s+$")
_KNOWN_AS = re.compile(r"\b(?:known|referred to|named|nicknamed|called)\b")
# 'admires Putin as a "strong leader"', 'has gone after Trump as a "human leech"': a label someone applies; not
# 'known as the "Buffett rule"' (a name)
_AS_LABEL = re.compile(r"(?<!known )(?<!referred to )(?<!such )(?<!well )(?<!same )(?<!\bso )(?<!\bas )"
                       r"\bas\s+(?:an?\s+)?$")


def _whole_sentence(text: str, start: int, end: int, n_words: int) -> bool:
    """Quoted words that make a sentence of their own ('a new campaign message: "It's about me."'): a statement
    someone made or wrote, not a word held at a distance. Three words or more, a capital first, a full stop, a
    question or exclamation mark last."""
    return n_words >= 3 and text[start:start + 1].isupper() and text[start:end].rstrip()[-1:] in (".", "!", "?")


def _reported_around(text: str, sentence: tuple[int, int], quote_start: int, cues: _Cues) -> _Tag | None:
    """A short quote in the clause of a reporting or naming verb that the rules above could give no speaker
    ('calls people "losers"' in a list of a candidate's deeds, 'the police department, which reported "2,521
    shooting incidents"', '63 percent said Clinton was "justified"'), or a label applied with 'as a': the words
    are someone's in the story, not the writer's distance. PolNeAR dev: 21 of 45 such "scare quotes" sat inside
    statements the annotators attribute to someone. The cue is given, the speaker is not (never a guess)."""
    s_start, _ = sentence
    start = max(s_start, quote_start - 150)
    at = cues.last(_CUE | _STANCE_WORD, start, quote_start)
    while at >= 0:
        word = _WORD_AT.match(text, at)
        lower = word.group().lower() if word else ""
        if word and (text[at].islower() or at == s_start) and lower not in _NOT_VERBS_ALONE \
                and not _NOT_SAYING.search(text, max(s_start, at - 12), at) \
                and not (lower in _NAMING and not text[word.end():quote_start].strip()) \
                and not (lower.startswith("add") and _PASSIVE_BEFORE.search(text, max(s_start, at - 12), at)):
            if _BREAK.search(text, at, quote_start):
                return None
            return _Tag("", -1, -1, "", word.group(), at, word.end())
        at = cues.last(_CUE | _STANCE_WORD, start, at)
    label = _AS_LABEL.search(text, max(s_start, quote_start - 20), quote_start)
    if label and not _KNOWN_AS.search(text, max(s_start, label.start() - 60), label.start()):
        return _Tag("", -1, -1, "", "as", label.start() + label.group().index("as"),
                    label.start() + label.group().index("as") + 2)
    return None


def _names_with_quote(match: re.Match) -> bool:
    """Whether a stance verb's match reports the quoted words: words between the verb and the quote ('called
    the plan "a disgrace"'), or the quote right after the verb when a person, not a thing, is its subject
    ('Ana Rivera called "a stitch-up"', not 'a practice called "selling the work"', nor the passive
    'the mayor was called "a liar"')."""
    if match.group("between").strip():
        return True
    speaker = match.group("speaker")
    passive = re.search(r"\b(?:is|was|were|are|been)\s+$", match.string[:match.start("cue")])
    return not passive and (_is_name(speaker) or speaker.lower() in ("he", "she", "they")
                            or "'s " in speaker.replace("’", "'") or bool(match.group("apposition")))


def _first_tag(pattern: re.Pattern, head: str, base: int, accept=None) -> _Tag | None:
    """The first match of ``pattern`` in ``head`` that names a speaker: a match whose 'speaker' is no speaker
    ('In March, Dalton dismissed ...' matched from 'In') is tried again from its next word (a plain finditer
    went on after the whole rejected match and lost the speaker inside it). At most four tries."""
    at = 0
    for _ in range(4):  # 'In March, Dalton': three; each try searches the rest of the sentence again
        match = pattern.search(head, at)
        if match is None:
            return None
        tag = _tag(match, base) if accept is None or accept(match) else None
        if tag:
            return tag
        following = _WORD_START.search(head, match.start() + 1)
        if following is None:
            return None
        at = following.start()
    return None


def _trailing(match: re.Match, base: int) -> _Tag | None:
    if match.group("speaker") is not None:
        return _tag(match, base)
    if match.group("speaker2") is not None:
        return _tag(match, base, "speaker2", "cue2")
    if match.group("speaker3") is not None:
        return _tag(match, base, "speaker3", "cue3")
    tag = _tag(match, base, "speaker4", "cue4")
    description = (match.group("description4") or "").strip()
    if tag and _is_name(description):  # 'according to the regional governor, Jean-Paul Habimana.': the name beside
        tag = tag._replace(apposition=description)
    return tag


def find_speech(text: str, spans: list[segment.Span] | None = None) -> list[Speech]:
    """Every piece of reported speech in ``text`` (a cleaned document), in text order, speakers resolved."""
    spans = segment.split_sentences(text) if spans is None else spans
    shadow = _shadow(text)
    # a mark right after '=' is markup ('<tweet author="...">' in scraped pages), not anyone's words
    quotes = [q for q in segment.find_quotes(shadow, kinds=False) if q.n_words > 0
              and shadow[q.start - 1:q.start] != "="]
    found_cues = _Cues(shadow)  # every rule below needs a reporting word in reach: most sentences have none
    cues = found_cues.gate
    starts = [span.start for span in spans]
    found: list[tuple[Speech, _Tag | None]] = []
    quoted_ranges = []
    previous_attributed, previous_end = None, 0
    for quote in quotes:
        content_start, content_end = _content(shadow, quote.start, quote.end)
        if content_end <= content_start:
            continue
        line_start = text.rfind("\n", 0, quote.start) + 1
        line_end = text.find("\n", quote.end)
        line_end = len(text) if line_end == -1 else line_end
        n_words = quote.n_words
        tag, kind = _tag_after(shadow, quote.end, line_end, found_cues), "direct"
        if not tag:
            tag, whole = _tag_before(shadow, quote.start, line_start, found_cues)
            kind = "direct" if whole else "partial"
        if not tag:
            tag, kind = _introduced(shadow, quote.start, line_start, found_cues), "direct"
        sentence = None if tag else _sentence_around(spans, starts, quote.start)  # once: the rules below share it
        if not tag:
            tag = _statement_tag(shadow, sentence, quote.start, found_cues) if _has_cue(cues, *sentence) else None
            kind = "partial" if n_words <= 12 else "direct"
        if not tag and n_words <= 12:
            tag = (_stance_tag(shadow, sentence, quote.start, found_cues)
                   if _has_cue(cues, sentence[0], quote.start) else None)
            kind = "partial"
        if not tag and previous_attributed is not None and _continues(shadow, previous_end, quote, line_start):
            tag, kind = previous_attributed, "direct"
        if not tag and quote.start - line_start <= 40:
            tag = _headline_speaker(shadow, line_start, quote.start)
            kind = "direct"
        if not tag and n_words <= 12:
            tag = _clause_tag(shadow, sentence, quote.start, found_cues) if _has_cue(cues, sentence[0], quote.start) \
                else None
            if not tag:
                tag = _headline_speaker(shadow, line_start, quote.start, whole=False)
            kind = "partial"
        if not tag and n_words <= 12:
            tag = _reported_around(shadow, sentence, quote.start, found_cues)
            if tag and found and found[-1][0].kind == "partial" and found[-1][0].speaker and found[-1][1] \
                    and found[-1][0].mark_end >= sentence[0]:
                tag = found[-1][1]  # 'Reed called the mayor a "serial fibber" who is "out of touch"': Reed's too
            kind = "partial"
        if not tag:
            if _CROWD.search(shadow, max(line_start, quote.start - 40), quote.start):
                kind = "unattributed"
            elif n_words <= SCARE_MAX_WORDS and not _whole_sentence(shadow, content_start, content_end, n_words):
                kind = "scare"
            else:
                kind = "unattributed"
        if kind == "direct" and shadow[content_start:content_start + 1].islower() \
                and shadow[max(line_start, quote.start - 2):quote.start].rstrip()[-1:].isalnum():
            kind = "partial"  # 'said the firm "would look again at the figures"': words inside the writer's sentence
        if kind == "direct" and n_words <= 8 and shadow[content_start:content_start + 1].isupper() \
                and _is_title(shadow, content_start, content_end, line_start, line_end):
            kind, tag = "unattributed", None  # 'In an interview on the BBC's "Sunday Politics" she said ...'
        speech = Speech(content_start, content_end, kind, tag.speaker if tag else "",
                        tag.speaker_start if tag else -1, tag.speaker_end if tag else -1, "", "",
                        tag.cue if tag else "", tag.cue_start if tag else -1, tag.cue_end if tag else -1, "",
                        quote.start, quote.end)
        found.append((speech, tag))
        quoted_ranges.append((quote.start, quote.end))
        # a quotation goes on after its closing tag, direct or partial ('The talks achieved "very little," she
        # added. "Without a deal, the region loses out."'; PolNeAR dev left the second one unattributed)
        closing = tag is not None and tag.cue_start > quote.end
        previous_attributed, previous_end = (tag if kind == "direct" or closing else None), quote.end
    if ":" in shadow:
        _transcript_turns(shadow, found, quoted_ranges)
    indirect = _indirect_speech(shadow, spans, quoted_ranges, found_cues)
    for i, (row, _) in enumerate(found):  # quoted words inside a reported statement are that speaker's
        if row.kind == "scare":
            around = next(((s, t) for s, t in indirect if s.start <= row.mark_start and row.mark_end <= s.end + 1),
                          None)
            if around:
                found[i] = (row._replace(kind="partial", speaker=around[0].speaker,
                                         speaker_start=around[0].speaker_start, speaker_end=around[0].speaker_end,
                                         cue=around[0].cue, cue_start=around[0].cue_start, cue_end=around[0].cue_end),
                            around[1])
    if any(row.kind in ("scare", "unattributed") for row, _ in found):
        _not_scare(shadow, found)
        # last, so that a nickname is never taken for words said elsewhere in the document ('Rep. Robert C.
        # "Bobby" Scott' after someone shouted "Bobby Scott!")
        for i, (row, tag) in enumerate(found):
            if row.kind == "scare" and _names_something(shadow, row.mark_start, row.mark_end):
                found[i] = (row._replace(kind="unattributed"), tag)
    found += indirect
    found.sort(key=lambda pair: pair[0].start)
    return _resolve(text, found)


# capitalised labels that open lines but name no speaker ('LONDON:' datelines, 'READ MORE:', 'FULL TIME:')
_NOT_TURN_WORDS = frozenset("read related key full half goal more also top latest live uk us usa eu".split())
# a transcript's turn: a speaker's name in capitals and a colon opening a line ('WALLACE: Let's start with ...',
# '"PENCE: Well, look, ...'); PolNeAR dev's interview transcript gave every turn to no one
_TURN = re.compile(r"^[ \t]*(?P<mark>[“\"‘]?)(?P<speaker>[A-Z][A-Z.'’-]+(?:[ ][A-Z][A-Z.'’-]+){0,2}):[ \t]+"
                   r"(?P<content>\S(?:[^\r\n]*\S)?)[ \t\r]*$", re.M)


def _transcript_turns(text: str, found: list[tuple[Speech, _Tag | None]], quoted_ranges: list) -> None:
    """A turn quoted whole becomes a direct quotation of its speaker; an unquoted turn is added as one. Only in a
    dialogue: two speakers' turns at least (a lone 'LONDON:' or 'KEY POINTS:' line is a label)."""
    labels = _NOT_TURN_WORDS | _NOT_HEADLINE_SPEAKERS
    turns = [t for t in _TURN.finditer(text) if len(t.group("content").split()) >= 3
             and t.group("speaker").split()[0].lower() not in labels]
    if len({t.group("speaker") for t in turns}) < 2:
        return
    for turn in turns:
        speaker = turn.group("speaker")
        tag = _Tag(speaker, turn.start("speaker"), turn.end("speaker"), "", "", -1, -1)
        start, end = turn.start("content"), _trim_end(text, turn.start("content"), turn.end("content"))
        inside = next((i for i, (row, _) in enumerate(found) if row.mark_start <= turn.start("speaker") < row.end), None)
        if inside is not None:
            row = found[inside][0]
            if row.kind in ("unattributed", "scare") and row.start < start < row.end:
                found[inside] = (row._replace(start=start, kind="direct", speaker=speaker,
                                              speaker_start=tag.speaker_start, speaker_end=tag.speaker_end), tag)
            continue
        if turn.group("mark") or end - start < 10:
            continue
        found.append((Speech(start, end, "direct", speaker, tag.speaker_start, tag.speaker_end, "", "", "", -1, -1, "",
                             start, end), tag))
        quoted_ranges.append((start, end))
    quoted_ranges.sort()


# 'Del. Marcia "Cia" Price' (a nickname between the parts of a name); 'the spot, titled "Arrogant,"' (a title
# given as one): quoted words that name, not the writer's distance (PolNeAR dev called both scare quotes)
_NICKNAME_BEFORE = re.compile(r"\b(?!(?:The|A|An|This|That|These|Those|His|Her|Their|Its|Our|Your|My|In|On|At|"
                              r"For|By|With|From|To|Of|And|But|Or|So|As|If|When)\s)[A-Z][\w’'.-]+\s+$")
# the surname ends the name: punctuation or a lower-case word after it ('Marcia "Cia" Price (D-Newport News)',
# 'Kieran "The Bull" Maddox retained'); not a Title Case headline ('Putin Unveils "Peace" Plan For Ukraine')
_NICKNAME_AFTER = re.compile(r"\s+[A-Z][\w’'-]+(?=\s*(?:[,.;:!?()]|\s[a-z]|$))")
_SO_CALLED = re.compile(r"\bso[- ]called\b", re.I)
_TITLED_BEFORE = re.compile(r"\b(?:titled|entitled)\s+$")


def _names_something(text: str, mark_start: int, mark_end: int) -> bool:
    n_words = len(_WORDS.findall(text, mark_start, mark_end))
    if n_words > 6 or not text[mark_start + 1:mark_start + 3].lstrip("'‘“\"")[:1].isupper():
        return False
    before = text[max(0, mark_start - 40):mark_start]
    if _TITLED_BEFORE.search(before):
        return True
    if n_words > 2 or _SO_CALLED.search(before) or not _NICKNAME_BEFORE.search(before) \
            or not _NICKNAME_AFTER.match(text, mark_end):
        return False
    # not in a headline: a short line in Title Case with no full stop ('Trump Calls "Crooked" Hillary'). Lines are
    # looked for only 300 characters either way (reading each quote's whole line made a 300 KB one-line text twenty
    # times slower): a longer line is a paragraph
    newline_before = text.rfind("\n", max(0, mark_start - 300), mark_start)
    newline_after = text.find("\n", mark_end, mark_end + 300)
    if (newline_before < 0 < mark_start - 300) or (newline_after < 0 and len(text) > mark_end + 300):
        return True
    line = text[newline_before + 1:len(text) if newline_after < 0 else newline_after]
    return line.rstrip().endswith(".") or len(line.split()) > 20 or not _title_case(_WORDS.findall(line))


_WORDS = re.compile(r"[\w’'-]+")


def _title_case(words) -> bool:
    """Whether most words of four letters or more are capitalised, as in a headline."""
    long_words = [w for w in words if len(w) >= 4]
    return sum(w[0].isupper() for w in long_words) >= 0.7 * len(long_words)


_FIRST_LINE = re.compile(r"\s*[^\n]*")
_WORD_AT = re.compile(r"[A-Za-z]+")
_SMALL_WORDS = frozenset("a an and as at by for from in of on or the to with".split())


def _not_scare(text: str, found: list[tuple[Speech, _Tag | None]]) -> None:
    """Short quotes with no speaker around them that are not the writer's distance all the same (PolNeAR dev:
    two thirds of the 'scare quotes' sat inside statements the annotators attribute to someone):
    - the words of a quotation given to someone elsewhere in the document ('the mayor's promise of "record
      investment"' after the mayor was quoted saying it; a headline quoting the story): ``partial``, theirs;
    - a quotation after a partial quote in the same sentence: the same speaker's (a list of names called);
    - a quotation opening or closing a headline (a first line, or a short line in title case): ``unattributed``;
    - a title (every word capitalised: "Operation Joint Guardian", "Abide With Me"): ``unattributed``, not the
      writer's."""
    for i, (row, tag) in enumerate(found):  # 'Reed called the mayor a "serial fibber" who is "out of touch"'
        if row.kind != "scare":
            continue
        sentence_start = max(text.rfind(c, 0, row.mark_start) for c in ".!?\n") + 1
        neighbour = next(((r, t) for r, t in found if r is not row and r.kind == "partial" and (r.speaker or r.cue)
                          and sentence_start <= r.mark_start and r.mark_end <= row.mark_start), None)
        if neighbour:
            r, t = neighbour
            found[i] = (row._replace(kind="partial", speaker=r.speaker, speaker_start=r.speaker_start,
                                     speaker_end=r.speaker_end, cue=r.cue, cue_start=r.cue_start, cue_end=r.cue_end),
                        t)
    if not any(row.kind in ("scare", "unattributed") for row, _ in found):
        return
    said = []  # (words of an attributed quotation, its row, its tag)
    for row, tag in found:
        if row.kind in ("direct", "partial") and row.speaker:
            said.append((" " + " ".join(_WORDS.findall(text[row.start:row.end].lower())) + " ", row, tag))
    opening = _FIRST_LINE.match(text)
    first_end, text_end = opening.end(), len(text.rstrip())
    for i, (row, tag) in enumerate(found):
        if row.kind not in ("scare", "unattributed"):
            continue
        words = _WORDS.findall(text[row.start:row.end])
        if not words:
            continue
        phrase = " " + " ".join(words).lower() + " "
        source = next(((r, t) for words_said, r, t in said if phrase in words_said and r is not row), None)
        if source:  # '"I just want my boy home"' in the headline, and again as the mother's words below
            r, t = source
            found[i] = (row._replace(kind="partial" if row.kind == "scare" else "direct", speaker=r.speaker,
                                     speaker_start=r.speaker_start, speaker_end=r.speaker_end, cue=r.cue,
                                     cue_start=r.cue_start, cue_end=r.cue_end), t)
            continue
        if row.kind != "scare":
            continue
        line_start = text.rfind("\n", 0, row.start) + 1
        line_end = text.find("\n", row.end)
        line = text[line_start:len(text) if line_end == -1 else line_end]
        line_words = _WORDS.findall(line) if line.count(" ") < 40 else ()  # a paragraph is no headline
        long_words = [w for w in line_words if len(w) >= 4]
        first = row.end <= first_end < text_end and not line.rstrip().endswith(".")
        # a quotation opening or closing a headline is a soundbite ("'Total chaos' as IT failure grounds flight",
        # "... says union chief"); one in the middle may be the writer's irony (Kosovo's "Peace" in seed 004)
        at_edge = (not text[line_start:row.mark_start].strip(" #*")
                   or not text[row.mark_end:line_start + len(line)].strip(" .!?:;,#*\"'”’"))
        headline = at_edge and 0 < len(line_words) <= 20 and (first or (len(long_words) >= 3 and _title_case(line_words)))
        title = len(words) >= 2 and all(w[0].isupper() or w[0].isdigit() or w.lower() in _SMALL_WORDS for w in words) \
            and words[0][0].isupper()
        if headline or title:
            found[i] = (row._replace(kind="unattributed"), tag)


def _is_title(text: str, start: int, end: int, line_start: int, line_end: int) -> bool:
    """Quoted words that name a work, a show or a slogan inside a paragraph ('the BBC's "Sunday Politics"', 'her
    book "Small Towns, Big Ideas"'): every word capitalised but the small ones, no sentence punctuation at
    the end, in a line of more than 20 words (a headline is often written in title case: not there)."""
    words = _WORDS.findall(text[start:end])
    if len(words) < 2 or text[start:end].rstrip()[-1:] in ".!?" or not words[0][0].isupper():
        return False
    if not all(w[0].isupper() or w.lower() in _SMALL_WORDS for w in words):
        return False
    return len(text[line_start:line_end].split()) > 20


_HEADLINE_SPEAKER = re.compile(r"\s*(?P<speaker>[A-Z][\w’'.-]*(?:\s+[\w’'.-]+){0,3})\s*:\s*")
_NOT_HEADLINE_SPEAKERS = frozenset("exclusive update watch breaking revealed video pictured live analysis opinion "
                                   "comment editorial review interview listen read see quote note warning "
                                   "clarification correction editor's editor’s disclosure source sources".split())


def _headline_speaker(text: str, line_start: int, quote_start: int, whole: bool = True) -> _Tag | None:
    """'Rail boss: "Fares must rise"': a headline gives the quotation to the words before its colon (no
    reporting verb; 'Exclusive:', 'Watch:' are labels, not speakers). ``whole=False``: quoted words later in
    such a headline ('Mayor: Rivals Were 'Gloating' Over Floods') are the same speaker's, in a short line (a
    headline, at most 20 words) whose words before the colon hold a capitalised word (a name or a title)."""
    if whole:
        match = _HEADLINE_SPEAKER.fullmatch(text, line_start, quote_start)
    else:
        # first the colon, then the rule: most lines have none before the quotation
        match = _HEADLINE_SPEAKER.match(text, line_start, quote_start) if text.find(
            ":", line_start, quote_start) >= 0 else None
        line_end = text.find("\n", quote_start) if match else -1
        if match and len(text[line_start:len(text) if line_end < 0 else line_end].split()) > 20:
            return None
    if match is None or match.group("speaker").split()[0].lower() in _NOT_HEADLINE_SPEAKERS | _NOT_SPEAKERS:
        return None
    return _Tag(match.group("speaker"), match.start("speaker"), match.end("speaker"), "", "", -1, -1)


def _continues(text: str, previous_end: int, quote: segment.Quote, line_start: int) -> bool:
    """Whether a quotation goes on with the speaker of the one before: it opens the next paragraph (British
    news opens each paragraph of a long quote), or it opens the next sentence right after the speech tag
    ('"We have delivered," the minister said. "Nobody can deny that."'). A quoted whole sentence (a capital
    first, its own full stop inside the marks) goes on after a longer tag too, when the tag is one sentence
    ('"We did our part," the head said of the inspection, which ... in the spring. "The rest is up to you."')."""
    if quote.start == line_start:
        return quote.n_words > SCARE_MAX_WORDS or segment.quote_kind(text, quote) == "attributed"
    between = text[previous_end:quote.start]
    # an apostrophe inside a word ('the council’s') is no quotation mark between them
    if "\n" in between or not between.rstrip().endswith((".", ":")) or _MARK_NOT_APOSTROPHE.search(between):
        return False
    if len(between) <= 120:
        return True
    inner = text[quote.start + 1:quote.end].rstrip("\"'”’ ")
    return len(between) <= 400 and inner[:1].isupper() and inner.endswith((".", "!", "?")) \
        and not _SENTENCE_END.search(between.rstrip()[:-1])


_SENTENCE_END = re.compile(r"[.!?][\"'”’)]*\s+[A-Z\"“]")


# What each word the automaton finds can start. _GATE: the words that gate every rule (as before); the other
# bits tell which rule's regex could match there, so a rule runs only where its own words are.
_GATE, _CUE, _ACCORDING, _STANCE_WORD, _WHAT, _CLAIM, _PARTICIPLE_WORD = 1, 2, 4, 8, 16, 32, 64
_CLAIM_WORDS = ("claim", "claims", "statement", "assertion", "description", "promise", "pledge", "warning",
                "accusation", "remark", "comment", "comments")


def _first_words(alternation: str) -> set[str]:
    """The first word of each alternative of a regex alternation ('went on' -> 'went', 'told the \\w+' -> 'told')."""
    return {m.group() for m in (re.match(r"[a-z]+", a) for a in alternation.split("|")) if m}


@lru_cache(maxsize=1)
def _cue_automaton():
    """Every reporting word (and 'according') in one Aho-Corasick automaton: a scan of the text with it is
    several times cheaper than the big case-insensitive regex alternation (which took a third of the time).
    Each word carries the bits of the rules it can start (see _GATE)."""
    import ahocorasick

    masks: dict[str, int] = {}

    def add(words, bit):
        for word in words:
            masks[word] = masks.get(word, 0) | bit

    gate = {w for w in re.split(r"[|()?:]", _CUE_WORDS + "|according|" + _STANCE_WORDS) if w.isalpha()}
    gate |= {"what", "spoke", "speaks", "talked", *_CLAIM_WORDS}  # _stance_tag's words
    add(gate, _GATE)
    add(_first_words(_CUE_WORDS), _CUE)
    add({"according"}, _ACCORDING)
    add(_first_words(_STANCE_WORDS), _STANCE_WORD)
    add({"what"}, _WHAT)
    add(_CLAIM_WORDS, _CLAIM)
    add(_first_words(_PARTICIPLE.pattern.split("(?P<cue>")[1].split(")")[0]), _PARTICIPLE_WORD)
    automaton = ahocorasick.Automaton()
    for word, bits in masks.items():
        automaton.add_word(word, (len(word), bits))
    automaton.make_automaton()
    return automaton


class _Cues:
    """The reporting words of one document, found in one pass: ``gate`` (where a word that gates the rules
    starts, as the rules have always been gated) and every word with its rule bits, to ask "could this rule
    match between a and b?" without running its regex. When lowercasing changes the text's length (rare
    letters), positions would drift: every question is then answered yes (the rules run as before)."""

    __slots__ = ("gate", "positions", "bits", "exact")

    def __init__(self, text: str):
        lower = text.lower()
        self.exact = len(lower) == len(text)
        self.gate, self.positions, self.bits = gate, positions, all_bits = [], [], []
        last = len(lower) - 1
        for end, (size, bits) in _cue_automaton().iter(lower):  # local names: this loop runs for every word found
            start = end - size + 1
            if (start == 0 or not lower[start - 1].isalnum()) and (end == last or not lower[end + 1].isalnum()):
                positions.append(start)
                all_bits.append(bits)
                if bits & _GATE:
                    gate.append(start)

    def last(self, bits: int, start: int, end: int) -> int:
        """Where the last word with one of ``bits`` starts in [start, end), or -1 (``end - 1`` if not exact)."""
        if not self.exact:
            return end - 1
        for i in range(bisect.bisect_left(self.positions, end) - 1, -1, -1):
            if self.positions[i] < start:
                break
            if self.bits[i] & bits:
                return self.positions[i]
        return -1

    def any(self, bits: int, start: int, end: int) -> bool:
        return self.last(bits, start, end) >= 0


def _cue_positions(text: str) -> list[int]:
    """Where a reporting word that gates the rules starts in ``text`` (whole words only), in order."""
    return _Cues(text).gate


def _has_cue(cues: list[int], start: int, end: int) -> bool:
    at = bisect.bisect_left(cues, start)
    return at < len(cues) and cues[at] < end


def _indirect_speech(text: str, spans: list[segment.Span], quoted, found_cues: _Cues
                     ) -> list[tuple[Speech, _Tag]]:
    """Reported speech without quotation marks, sentence by sentence; the rules run only in sentences that
    hold a reporting word (found in one pass over the text) and are not mostly inside a quotation."""
    cues = found_cues.gate
    if not cues:
        return []
    out = []
    quoted_ends = [b for _, b in quoted]
    for s_start, s_end in spans:
        at = bisect.bisect_left(cues, s_start)
        if at == len(cues) or cues[at] >= s_end:
            continue  # most sentences: no rule runs
        if not found_cues.any(_CUE | _ACCORDING, s_start, s_end):
            continue  # only a naming or stance word ('called', 'described'): no rule below can match
        quoted_share = 0
        # quotations are in order, apart: from the first ending after the sentence's start (no copy of the rest of
        # the list for every sentence: with many quotations that copying was the cost of this loop)
        for i in range(bisect.bisect_right(quoted_ends, s_start), len(quoted)):
            a, b = quoted[i]
            if a >= s_end:
                break
            quoted_share += min(b, s_end) - max(a, s_start)
        if quoted_share * 2 > s_end - s_start:
            continue  # a quoted sentence: its speech is the quote
        last = bisect.bisect_left(cues, s_end) - 1
        found = _indirect_in(text, text[s_start:s_end], s_start, first_cue=cues[at] - s_start,
                             last_cue=cues[last] - s_start, cues=found_cues)
        # the reported clause may hold a partial quote ('said the groups were "highly adaptive"'), but it is no
        # indirect speech when it lies inside a quotation (a quoted speaker's own "he said that ...")
        while found:
            # the only quotation that can hold the row is the first ending at or after its end
            i = bisect.bisect_left(quoted_ends, found[0].end)
            if not (i < len(quoted) and quoted[i][0] <= found[0].start):
                out.append(found)
            # a second statement after the first one's clause ('... agreed that the rules should change, but he
            # said that discussion should wait'): PolNeAR dev lost every such second statement
            rest = (_CLAUSE_END.search(text, found[0].end, s_end) or _NEXT_ACT.search(text, found[0].end, s_end)
                    or _WRITERS_ASIDE.search(text, found[0].end, s_end)) if found[0].end < s_end - 20 else None
            if rest is None or rest.start() > found[0].end + 2:
                break
            same = _SAME_SPEAKER_ACT.match(text, rest.start(), s_end) if rest.re is _NEXT_ACT else None
            if same:  # '... and suggested that ...': the same speaker's next statement
                tag = found[1]._replace(cue=same.group("cue"), cue_start=same.start("cue"), cue_end=same.end("cue"))
                clause = _CLAUSE_END.search(text, same.end(), s_end)
                act = _NEXT_ACT.search(text, same.end(), clause.start() if clause else s_end)
                row = _indirect_row(text, same.end(), (act or clause).start() if act or clause else s_end, tag)
                found = (row, tag) if row else None
                continue
            # after ', saying' the speaker is the sentence's subject, found again from the sentence's start
            after = rest.start() if rest.re is _NEXT_ACT else rest.end()
            found = _indirect_within(text, text[s_start:s_end], s_start, found_cues, after=after - s_start)
    return out


def _whole_quotation(content: str) -> bool:
    """Whether reported words are all one quotation (a direct quote's row says it), not a clause that opens with
    a partial quote ('that “exactly who did it” remains under investigation')."""
    if not content.startswith(("“", '"', "‘")):
        return False
    close = _QUOTE_MARKS.search(content, 1)
    # words after it, but the quotation a whole utterance ('"Don't you do it," until gunshots are heard'): still one
    return close is None or not content[close.end():].strip(" ,.;:!?”’\"'") or content[close.start() - 1] in ",.!?"


def _trim_end(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1] in _SENTENCE_CLOSERS:
        end -= 1
    return end


# a headline's reporting verb is capitalised with the rest ('Museum Will Tell of Suffering, Obama Says', 'Obama Says
# Museum Will Tell of Suffering'): PolNeAR dev's headlines gave no row
# not 'Claims', 'Admits', 'Denies', 'Tells' ('Storm Claims Three Lives', 'Hospital Admits Flood Victims', 'Court
# Denies Bail', 'New Film Tells Story Of ...'), nor 'Says Goodbye'
_HEADLINE_CUES = "Says|Said|Say|Warns|Insists|Vows|Urges|Predicts|Believes|Thinks"
_HEADLINE_SPEAKER_WORDS = (r"(?!(?:What|How|Why|Who|Here|This|That|It|Everything|Nothing|Nobody)\b)"
                           r"[A-Z][\w’'.-]*(?:\s+(?:of|for|the)?\s*[A-Z][\w’'.-]*){0,5}")
_HEADLINE_SAYS_AFTER = re.compile(rf"(?P<content>[^,\n]{{12,}}?),\s+(?P<speaker>{_HEADLINE_SPEAKER_WORDS})\s+"
                                  rf"(?P<cue>{_HEADLINE_CUES})\s*$")
_HEADLINE_SAYS_BEFORE = re.compile(rf"(?P<speaker>{_HEADLINE_SPEAKER_WORDS}?)\s+(?P<cue>{_HEADLINE_CUES})\s+"
                                   r"(?!(?:Goodbye|Farewell|Thanks|Thank|Sorry|Hello|No|Yes|Cheese)\b)"
                                   r"(?P<content>[A-Z][^\n]{11,})$")


def _headline_statement(text: str, sentence: str, base: int) -> tuple[Speech, _Tag] | None:
    """A statement in a headline: a line of its own, at most 20 words, in Title Case, the verb capitalised like
    the rest (a full stop at its end is left out: some archives add one)."""
    line = sentence.strip()
    lead = len(sentence) - len(sentence.lstrip())
    start, end = base + lead, base + lead + len(line)
    # the cheap tests first: most sentences are not a line of their own
    if (start > 0 and text[start - 1] != "\n") or (end < len(text) and text[end] not in "\r\n") \
            or line.count(" ") >= 20 or not _title_case(_WORDS.findall(line)):
        return None
    said = line[:-1].rstrip() if line.endswith(".") else line
    match = _HEADLINE_SAYS_AFTER.fullmatch(said) or _HEADLINE_SAYS_BEFORE.fullmatch(said)
    if match is None or match.group("speaker").split()[0].lower() in _NOT_SPEAKERS:
        return None
    tag = _Tag(match.group("speaker"), start + match.start("speaker"), start + match.end("speaker"), "",
               match.group("cue"), start + match.start("cue"), start + match.end("cue"))
    content_start, content_end = start + match.start("content"), start + match.end("content")
    row = Speech(content_start, content_end, "indirect", tag.speaker, tag.speaker_start, tag.speaker_end, "", "",
                 tag.cue, tag.cue_start, tag.cue_end, "", content_start, content_end)
    return row, tag


def _indirect_in(text: str, sentence: str, base: int, *, first_cue: int = 0, last_cue: int | None = None,
                 cues: _Cues | None = None) -> tuple[Speech, _Tag] | None:
    """``first_cue``, ``last_cue``: where the sentence's first and last reporting words start. A speaker and
    its cue open the sentence (within ~250 characters: a name, an apposition, a few adverbs) or close it."""
    last_cue = len(sentence) if last_cue is None else last_cue
    cues = cues or _Cues(text)
    headline = _headline_statement(text, sentence, base)
    if headline:
        return headline
    match = ((_ACCORDING_TO_FIRST.match(sentence) or _ACCORDING_TO_ANY.match(sentence))
             if first_cue == 0 and sentence.startswith("ccording to", 1) else None)
    tag = _tag(match, base)
    if tag:
        row = _indirect_row(text, base + match.end(), base + len(sentence), tag)
        return (row, tag) if row else None
    match = tag = None
    # 'The new rules, the minister said, would cut waiting lists ...': the tag stands between commas inside the
    # statement, which is the whole sentence (the rule below took 'The new rules' for the speaker)
    parenthetical = _PARENTHETICAL.search(sentence, 0, last_cue + 40) if _cue_before_comma(
        sentence, base, cues) else None
    if parenthetical and parenthetical.start() > 0 and not _CLAUSE_END.search(sentence, 0, parenthetical.start()):
        tag = _tag(parenthetical, base)
        clause = _CLAUSE_END.search(sentence, parenthetical.end())
        row = _indirect_row(text, base, base + (clause.start() if clause else len(sentence)), tag,
                            after_cue=False) if tag else None
        if row and not _QUOTE_MARKS.search(text, row.start, row.end):
            return row, tag
        match = tag = None
    # tried only where a word starts in the sentence's first 60 characters (the speaker opens the sentence):
    # a search from every position cost most of the time of finding speech
    # The speaker comes before a reporting word of _CUE_WORDS (the last one bounds where it can start), and
    # starts as a capitalised word, a pronoun, a determiner or a group of people ('police', 'human rights
    # groups'): other words are not tried (each try of the regex costs as much as all these tests).
    last_word = cues.last(_CUE, base, base + len(sentence)) - base
    starts = _SPEAKER_START.finditer(sentence) if first_cue <= 250 and last_word > 0 else ()
    # 'In a statement, Husted said ...', 'Despite a 4-0 win over Wales, England head coach Sarah Lowther insisted
    # ...': a phrase opening with a preposition names no speaker (the rule took 'a statement', 'a 4-0 win')
    skip = _after_opener(sentence)
    for at in (m.start() for m in starts):  # the first naming a speaker
        if at < skip:
            continue
        if at > 60 + skip or at >= last_word:
            break
        candidate = _INDIRECT.match(sentence, at)
        if candidate is None:
            continue
        if _OBJECT_RELATIVE.match(candidate.group("apposition") or ""):
            # 'the state funding system, which advocates say ...': the advocates say it, not the system ('The
            # builder, who last year said ...' and 'Green, who leads the opposition, said' are the speaker's own)
            continue
        if candidate.start() > 60 + skip:
            break
        tag = _tag(candidate, base)
        if tag:
            match = candidate
            break
    if tag is None and 100 <= first_cue <= 250 and sentence[:1].isupper() and 0 < sentence.find(", ", 0, 60):
        # 'Rhea Kapoor, director of the Centre for Fiscal Studies and a visiting professor at the school, said ...':
        # a full name opening the sentence, with an apposition longer than the rule above allows
        match = _NAME_LONG_APPOSITION.match(sentence)
        tag = _tag(match, base) if match and _is_name(match.group("speaker")) \
            and " " in match.group("speaker") else None
    cue_word = match.group("cue").split()[0].lower() if match else ""
    if tag and cue_word in ("told", "tells", "tell") and match.group("cue").lower() == cue_word \
            and not (match.group("that") or match.group("object")) \
            and _INTRODUCES_QUOTATION.match(sentence, match.end()):
        tag = None  # 'told a rally in Birmingham: "...': whom it was told to, not what; the quotation is the speech
    if tag and not match.group("that") and cue_word in _NOUN_TOO \
            and not _CLAUSE_OPENER.match(sentence, match.end()):
        tag = None  # 'The deal lets Italy process asylum claims at two centres on ...': 'claims' names, not reports
    if tag and (match.group("that") or cue_word in _CLAUSE_WITHOUT_THAT
                or (cue_word in _INTENT_VERBS and sentence.startswith("to ", match.end()))
                or (cue_word in _FINDING_VERBS and _RESEARCH.search(tag.speaker)
                    and _FOUND_CLAUSE.match(sentence, match.end())
                    and (not sentence[skip:match.start("speaker")].strip()
                         or sentence[:match.start("speaker")].rstrip().endswith(",")))):
        content_start = match.end()
        if match.group("object") and not match.group("cue").lower().startswith(("told", "tell")):
            content_start = match.start("object")  # 'said the Albanian-linked trade ...': no object, content
        # the bare verb ('told the BBC' and 'told reporters' are cues of their own, their listener inside them)
        if cue_word in ("told", "tells", "tell") and match.group("cue").lower() == cue_word \
                and not (match.group("that") or match.group("object")):
            content_start = _after_listener(sentence, content_start)
        row = None
        if content_start is not None:
            clause = _clause_end(sentence, content_start, match,
                                 before=sentence[max(0, match.start("speaker") - 40):match.start("cue")])
            row = _indirect_row(text, base + content_start, base + (clause.start() if clause else len(sentence)),
                                tag)
        if row and not _whole_quotation(text[row.start:row.end]):
            return row, tag
    # a closing tag (', a source close to the inquiry said.') is short: search only the sentence's end
    tail = max(0, len(sentence) - 260)
    match = (_TRAILING_TAG.search(sentence, tail) if len(sentence) - last_cue <= 160
             and cues.any(_CUE | _ACCORDING, base + tail, base + len(sentence)) else None)
    if match and match.group("cue") is not None and _CLAUSE_AFTER_TAG.match(sentence, match.end("cue")):
        match = None  # ', one study found the city would gain jobs.': a clause follows the verb, no closing tag
    if match and match.start() > 0:
        tag = _trailing(match, base)
        clause_start = 0
        # a closing tag reports the whole sentence, ', but ...' too ('Trump would expand the deduction, but for
        # some the losses would outstrip the gains, said Batchelder': PolNeAR dev gives it the whole sentence)
        for clause in _HARD_CLAUSE_END.finditer(sentence, 0, match.start()):
            clause_start = clause.end()
        # a sentence may open with a preposition before a closing 'according to' ('About 4,000 homes ...'); before
        # ', the author admitted ...' an opening 'In a newspaper essay last week' is no statement
        row = _indirect_row(text, base + clause_start, base + match.start(), tag,
                            after_cue=match.group("cue4") is None and match.group("cue3") is None) if tag else None
        if row:
            return row, tag
    return _indirect_within(text, sentence, base, cues)


# the words after a reporting verb, as in _INDIRECT ('said (reporters) (on Monday) (that) ...'); 'that,' too
_CUE_TAIL = re.compile(
    rf"(?P<cue>{_CUE_WORDS})\b(?P<object>\s+(?:reporters|journalists|[Tt]he\s+[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*)*|"
    rf"(?!(?:{_WEEKDAYS})\b)[A-Z][\w.-]+|him|{_HER_OBJECT}|them|us|me|MPs))?{_WHEN}"
    rf",?\s+(?P<that>that(?:\s+|(?=,)))?(?=\S)")
# a speaker that ends right before a reporting verb (searched for backwards from the verb)
_SPEAKER_BEFORE = re.compile(rf"(?P<speaker>{_SPEAKER})(?:\s*\([A-Z][\w.-]{{0,10}}\))?(?P<apposition>{_APPOSITION})"
                             rf"{_ADVERBS}\s+$")  # 'Sen. Jane Doe (D-Ore.) said'

_NAME_WORD_BEFORE = re.compile(r"[A-Z][\w’'.-]*\s+$")
# ', saying (that) ...' after a clause whose subject is the speaker ('The council rejected the plan, saying ...')
# Inside a sentence a verb is less often a reporting one ('the think tank', 'states that', 'opposition claims'):
# without 'that', only these verbs, and only before words that open a clause (a subject), not 'said at a
# press event', 'he said, and ...', 'said his piece'
_WITHIN_WITHOUT_THAT = frozenset("said says say added adds argued argues insisted insists believes believed".split())
_CLAUSE_OPENER = re.compile(r"(?:[A-Z]|\d|(?:the|a|an|he|she|it|they|we|i|you|there|this|these|those|its|their|"
                            # possessives and indefinite pronouns open clauses too ('by saying his refusal was ...',
                            # ', saying anybody who complains ...'; PolNeAR dev lost both)
                            r"his|her|our|my|your|every|each|any|anybody|anyone|everybody|somebody|someone|"
                            r"no|not|some|many|most|all|more|only|one|two|three|nobody|none|everyone|nothing)\b)")
_SUBJECT_VERB = re.compile(rf"(?P<speaker>{_SPEAKER})(?P<apposition>{_APPOSITION}){_ADVERBS}\s+"
                           r"(?=(?:has|have|had|is|was|were|will|would|said|told|[a-z]+ed|[a-z]+s)\b)")
_SAYING = frozenset({"saying", "adding", "insisting", "warning", "claiming", "stressing"})


_RELATIVE = re.compile(r"(?:^|,\s*)(?:who|which|that|whose|whom)(?:\s+[\w’'-]+){0,3}?\s*$")
# the same in the words before a verb: after a comma only (a window cut before 'that officials say' is no relative)
_RELATIVE_BEFORE = re.compile(r",\s*(?:who|which|that|whose|whom)(?:\s+[\w’'-]+){0,3}?\s*$")
_NEXT_COMMA = re.compile(r",\s")


# the speaker's next act: 'said he would order a review and warned against hackers', 'said he did not believe
# it, arguing that ...': a second reporting verb of the same subject ends what the first one reports (PolNeAR
# dev ran such contents on over the second statement)
# '... and suggested that ...': a second reporting verb of the same speaker (also read by _SAME_SPEAKER_ACT)
_AND_CUE_THAT = rf",?\s+and\s+(?:also\s+)?(?P<cue>{_CUE_WORDS})\s+that"
_NEXT_ACT = re.compile(r"(?:,\s+|\s+)and\s+(?:(?:also|then|later)\s+)?(?:warned|vowed|insisted|promised|pledged|urged|"
                       # not 'refused', 'denied', 'accused': as often the reported subject's own acts ('Police say he
                       # posed a threat and refused to drop the knife', 'was arrested and denied bail')
                       r"added|argued|claimed)\b"
                       # any reporting verb with its 'that' ('said it would leave and suggested that ...')
                       rf"|{_AND_CUE_THAT}\b"
                       r"|,\s+(?:arguing|adding|noting|insisting|warning|claiming|stressing|explaining|saying)\b")
# After another subject these acts may be that subject's ('Police said the man had threatened staff and claimed
# he had a gun'); a trial that ended the content at them only after a pronoun subject ('said he would order a review
# and warned ...') lowered the precision of the rows on PolNeAR dev (0.812 -> 0.811) and on the first blind set
# (0.947 -> 0.940), so they end it whatever the subject.


# after 'told': the listener (up to ten words, no relative clause in them: 'told a young woman who suggested
# that ...' is hers; not the thing told: 'tells so many lies that ...') and then 'that', else a clause's first word
# ('told jurors the victim had been ...')
_LISTENER_WORD = r"(?!(?:who|which|that|whom|whose|lies|lie|story|stories|tale|tales|side|jokes?|truth|news)\b)\S+\s+"
_LISTENER_THAT = re.compile(rf"(?!(?:of|about)\s)(?:{_LISTENER_WORD}){{1,10}}?that\s+")  # not 'told of her ordeal'
_LISTENER = re.compile(rf"(?!(?:of|about)\s)(?:{_LISTENER_WORD}){{1,10}}?"
                       r"(?=(?:he|she|it|they|we|I|you|there|the|a|an|his|her|their|"
                       r"its|this|these|those)\s)")
def _after_listener(sentence: str, at: int) -> int | None:
    """Where what was told starts after 'told' at ``at``: whom it was told to comes first ('told the court that
    she ...', 'told the jury she was ...'); with no clause after them nothing is reported ('told some of the
    miners.' gave 'some of the miners'; 'told her mother the news in person')."""
    listener = _LISTENER_THAT.match(sentence, at)
    if listener is None:
        listener = _LISTENER.match(sentence, at)  # without 'that', a subject and a finite verb must follow
        listener = listener if listener and _FOUND_CLAUSE.match(sentence, listener.end()) else None
    return listener.end() if listener else None


_SAME_SPEAKER_ACT = re.compile(rf"{_AND_CUE_THAT}\s+")


# ', and' before a new subject ends what was said ('said it is lowering its forecast, and the downgrade is ...'):
# PolNeAR dev's annotators end the content there; ', which', ', including' and ', -ing' phrases were tried too
# and lowered the indirect rows' precision there (0.881 -> 0.872, 0.878, 0.878), so they stay inside
_WRITERS_ASIDE = re.compile(r",\s+and\s+(?=(?:the|a|an|his|her|its|their|when|as|then)\b)")


def _clause_end(sentence: str, content_start: int, match: re.Match, before: str = "") -> re.Match | None:
    """Where the reported clause ends: at a clause boundary or at the speaker's next act, and for a relative clause
    ('The builder, who said he was never paid for the clubhouse, sued'; PolNeAR dev ran such contents on into the
    main clause) at the next comma too."""
    clause = _CLAUSE_END.search(sentence, content_start)
    act = _NEXT_ACT.search(sentence, content_start, clause.start() if clause else len(sentence))
    clause = act or clause
    aside = _WRITERS_ASIDE.search(sentence, content_start, clause.start() if clause else len(sentence))
    clause = aside or clause
    apposition = (match.groupdict().get("apposition") or "") if match else ""
    if _RELATIVE.search(apposition.strip()) or _RELATIVE_BEFORE.search(before):
        comma = _NEXT_COMMA.search(sentence, content_start, clause.start() if clause else len(sentence))
        return comma or clause
    return clause


def _indirect_within(text: str, sentence: str, base: int, cues: _Cues, *, after: int = 0
                     ) -> tuple[Speech, _Tag] | None:
    """Reported speech whose speaker and verb stand inside the sentence, after an opening phrase or clause
    ('On Monday's programme, the former health minister said ...', '..., but he said that ...', 'When Patel
    noted that ...'), and ', saying ...' after a clause whose subject speaks. The speaker is the nearest one
    that ends right before the verb, widened to a whole name ('Priya Patel', not 'Patel'). PolNeAR dev:
    the rule at the sentence's start left about a quarter of its '... said ...' attributions out."""
    if not cues.exact:
        return None  # the verbs are found at the positions of the scan, which drift in such a text
    first = bisect.bisect_left(cues.positions, base + after)
    for i in range(first, len(cues.positions)):
        cue_at = cues.positions[i] - base
        if cue_at >= len(sentence):
            break
        if not cues.bits[i] & _CUE:
            continue  # 'what', 'claim', a naming verb: no verb of _CUE_WORDS starts here
        tail = _CUE_TAIL.match(sentence, cue_at)
        if tail is None:
            continue
        cue_word = tail.group("cue").split()[0].lower()
        before = sentence[:cue_at]
        tag = None
        if cue_word in _SAYING and before.endswith((", ", " by ")):  # 'responded ... by saying his refusal was ...'
            subject = _SUBJECT_VERB.match(sentence, _after_opener(sentence))
            if subject and subject.end() < cue_at:
                tag = _tag(subject, base, cue_group="speaker")
                tag = tag._replace(cue=tail.group("cue"), cue_start=base + cue_at,
                                   cue_end=base + tail.end("cue")) if tag else None
        elif tail.group("that") or (cue_word in _WITHIN_WITHOUT_THAT and not tail.group("when")
                                     and not sentence[tail.end("cue"):tail.end()].startswith(",")):
            tag = _speaker_before(sentence, cue_at, base, tail)
        elif cue_word in _FINDING_VERBS and not sentence[tail.end("cue"):tail.end()].startswith(",") \
                and _FOUND_CLAUSE.match(sentence, tail.end("cue") + 1):
            tag = _speaker_before(sentence, cue_at, base, tail)
            # the research is the sentence's subject: at its start or after a comma ('Police investigating the
            # report found the car' is the police's find)
            opening = sentence[:tag.speaker_start - base].rstrip() if tag else ""
            tag = tag if tag and _RESEARCH.search(tag.speaker) and (not opening or opening.endswith(",")) else None
        content_start = tail.end()
        if tail.group("object") and not tail.group("cue").lower().startswith(("told", "tell")):
            content_start = tail.start("object") + 1  # 'found Trump would ...': a name opening the clause
        if tag is None or not (tail.group("that") or _CLAUSE_OPENER.match(sentence, content_start)):
            continue
        clause = _clause_end(sentence, content_start, tail, before=sentence[max(0, cue_at - 40):cue_at])
        row = _indirect_row(text, base + content_start, base + (clause.start() if clause else len(sentence)), tag)
        if row and not _whole_quotation(text[row.start:row.end]):
            return row, tag
    return None


def _speaker_before(sentence: str, cue_at: int, base: int, tail: re.Match) -> _Tag | None:
    """The speaker ending right before the verb at ``cue_at``: the nearest word from which _SPEAKER reaches
    the verb, then widened over capitalised words written right before it (a first name, a title)."""
    window = max(0, cue_at - 160)
    starts = [m.start() for m in _SPEAKER_START.finditer(sentence, window, cue_at)]
    found = None
    for at in reversed(starts):
        if found is None:
            found = _SPEAKER_BEFORE.match(sentence, at, cue_at)
            continue
        wider = (_SPEAKER_BEFORE.match(sentence, at, cue_at)
                 if _NAME_WORD_BEFORE.fullmatch(sentence, at, found.start()) else None)
        if wider is None:
            break
        found = wider
    if found is None:
        return None
    speaker = found.group("speaker").rstrip(".,")
    apposition = (found.group("apposition") or "").strip(" ,")
    if not speaker or speaker.split()[0].lower() in _NOT_SPEAKERS | {"who", "which", "that"} \
            or apposition.split(" ", 1)[0].lower() in ("and", "but", "or", "which", "then", "so") \
            or _VERB_OF_SAYING.search(speaker) or speaker.split()[-1] in ("and", "or", "but"):
        return None  # 'the new funding formula, which critics say', 'their lawyers, and said'
    if speaker[0].islower() and not _BARE_GROUP.search(speaker) and speaker.split()[0] not in ("he", "she", "they"):
        words = speaker.split()
        if len(words) < 2 or words[-1] in _LOWER_WORDS | {"of", "for", "to", "in", "on", "at", "with"}:
            return None  # 'the support of'; a bare lower-case word is no speaker
    start = base + found.start("speaker")
    return _Tag(speaker, start, start + len(speaker), (found.group("apposition") or "").strip(" ,"),
                tail.group("cue"), base + tail.start("cue"), base + tail.end("cue"))


# Where _SPEAKER can start (a word start, as _WORD_START): a capital (a name, 'The', 'He'), a lower-case
# pronoun or determiner, or a group noun among the first three words ('police', 'human rights groups'). Found by
# one scan; each try of _INDIRECT elsewhere cost as much as the scan.
_SPEAKER_START = re.compile(
    r"(?:^|(?<=[\s(]))(?=[A-Z]|(?:he|she|they|it|we|the|a|an|one|another|his|her|their|two|three|some|many|"
    rf"former)[\s,]|(?:[a-z][\w-]*\s+){{0,2}}{_GROUP_NOUNS}[\s,])")


def _cue_before_comma(sentence: str, base: int, cues: _Cues) -> bool:
    """Whether a reporting word of the sentence is followed by a comma ('..., he said, ...'): the tag between
    commas is searched for only then (a search of every sentence with a comma cost a twentieth of the time)."""
    if not cues.exact:
        return True
    size = len(sentence)
    positions = cues.positions
    for i in range(bisect.bisect_left(positions, base), len(positions)):
        at = positions[i] - base
        if at >= size:
            break
        comma = sentence.find(", ", at, at + 14)
        if comma > at and cues.bits[i] & _CUE and sentence[at:comma].isalpha():
            return True
    return False


_RELATIVE_WORDS = frozenset({"which", "who", "whom", "whose", "that"})  # lower case: 'WHO said' is an organisation
# a relative clause whose verb has a subject of its own, not closed by a comma: 'which advocates say', 'whose
# leaders say', 'that critics say'
_OBJECT_RELATIVE = re.compile(r"\s*,\s*(?:whose|(?:which|whom|that)\s+(?:he|she|they|we|I|you|it|the|a|an|his|her|its|"
                              r"their|this|these|those|[A-Z][\w’'-]*|(?!(?:has|was|is|does|says)\b)[a-z]+s)\b)[^,]*$")
# 'On a day rich in symbolism, under a gray sky that ..., Mr. Obama warned': one or more phrases, each up to a comma
# a phrase whose last words are a reporting verb is a tag, not an opener ('On Monday the union leader said, "')
_ENDS_WITH_CUE = re.compile(rf"\b(?:{_CUE_WORDS})\s*,\s+$")
_OPENING_PHRASE = re.compile(rf"(?:{_OPENING_WORDS.title()})\s[^,;:“”\"\n]{{1,80}},\s+"
                             rf"(?:(?:{_OPENING_WORDS})\s[^,;:“”\"\n]{{1,80}},\s+)*")


def _after_opener(text: str, pos: int = 0) -> int:
    """Where a sentence's speaker can start: after its opening prepositional phrases ('In a statement, ...'), or at
    ``pos``. A phrase that holds a reporting verb is not one ('On Monday the union leader said, "..."')."""
    opener = _OPENING_PHRASE.match(text, pos)
    if opener is None or _ENDS_WITH_CUE.search(text, pos, opener.end()):
        return pos
    return opener.end()


# 'told a rally in Birmingham: "': the words up to a colon and a quotation, with no 'that' and a subject among them
# ('told a conference that the economy was growing: "' reports a clause; 'a rally that had gathered' does not)
_INTRODUCES_QUOTATION = re.compile(rf"(?:(?!\bthat\s+(?:{_SUBJECT_WORDS}|[A-Z]))[^.;:“”\"])*:\s*[“\"‘]")
_NAME_LONG_APPOSITION = re.compile(
    rf"(?P<speaker>(?:{_TITLE})?{_NAME})(?P<apposition>,\s+[^,“”\"‘\n]{{2,150}}?(?:,\s+[^,“”\"‘\n]{{2,90}}?)?,)\s+"
    r"(?P<cue>said|says|added|argued|noted|warned|insisted|believes|thinks)(?P<object>)(?P<when>)\s+(?P<that>that\s+)?"
    r"(?=\S)")
_PARENTHETICAL = re.compile(
    rf",\s+(?P<speaker>{_PRONOUN}|(?:{_TITLE})?{_NAME}|{_DETERMINED})\s+(?P<cue>said|says|added|argued|insisted|noted|"
    r"warned|believes|thinks|claimed|claims|wrote|writes|explained|stressed)\s*,\s+(?=[a-z])")


def _indirect_row(text: str, start: int, end: int, tag: _Tag, *, after_cue: bool = True) -> Speech | None:
    """Reported content from ``start`` to ``end``: at least three words, not a prepositional phrase ("said on
    Monday", "warned of ...": no clause is reported)."""
    end = _trim_end(text, start, end)
    while start < end and text[start] in " ,":
        start += 1
    words = text[start:end].split()
    to_infinitive = words[:1] == ["to"] and tag.cue.split()[-1].lower() in _INTENT_VERBS
    # after the verb a preposition means no clause is reported; before a closing tag a sentence may open with one
    # ('About 4,000 homes were flooded, according to official figures')
    # after 'that' a clause follows, even one opening with a phrase ('noted that at his first meeting, in 1972,
    # he ...'; PolNeAR dev lost such statements)
    after_that = _THAT_BEFORE.search(text, max(0, start - 8), start) is not None \
        and _PHRASE_THEN_CLAUSE.match(text, start, end) is not None  # not 'confirmed that in a statement
    about_a_number = words[:1] == ["about"] and words[1:2] and words[1][:1].isdigit()  # 'about 12,000 voters were'
    if len(words) < 3 or (after_cue and words[0].lower() in _PREPOSITIONS and not to_infinitive and not after_that
                          and not about_a_number):
        return None
    if after_cue and _SAID_ONES_PIECE.match(text, start, end):
        return None  # 'said his piece, he is ready to move on': an idiom, nothing reported
    if after_cue and _PASSIVE_PHRASE.match(text, start, end):
        return None  # 'said in a statement issued by her office': a phrase about the telling, not its words
    participle = _PARTICIPLE_THAT.match(text, start, end) if after_cue else None
    if participle:  # 'said, arguing that he will ...': the words are the clause after 'that'
        return _indirect_row(text, participle.end(), end, tag, after_cue=False)
    return Speech(start, end, "indirect", tag.speaker, tag.speaker_start, tag.speaker_end, "", "", tag.cue,
                  tag.cue_start, tag.cue_end, "", start, end)


# ---- speakers through the document ----------------------------------------------------------------------

_SAID_ONES_PIECE = re.compile(r"(?:his|her|their|its|my|our|your)\s+piece\b")
_THAT_BEFORE = re.compile(r"\bthat[\s,]*$")
# an opening phrase, its comma, and a clause's subject ('at his first meeting, in 1972, he backed ...')
_PHRASE_THEN_CLAUSE = re.compile(r"[^,;]{2,80}?(?:,(?:\s+[^,;]{2,40}?,)?\s+(?!(?:but|and|or|so|yet)\b)"
                                 r"(?:he|she|it|they|we|I|you|there|the|a|an|his|her|their|its|this|[A-Z])"
                                 # no comma: a pronoun subject after the phrase ('pledged that in the year 2000 it ...')
                                 r"|\s+(?:he|she|it|they|we|I)\s)")
# a reported clause does not open with a passive participle and 'by', nor with '-ing that' (its clause follows)
_PASSIVE_PHRASE = re.compile(r"[a-z]+ed\s+by\b")
_PARTICIPLE_THAT = re.compile(r"[a-z]+ing\s+that\s+")
_FULL_NAME = re.compile(rf"(?<![\w’'])(?:{_TITLE})?(?P<name>[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+){{1,3}})")
_FULL_NAME_AT_END = re.compile(_FULL_NAME.pattern + r"$")
_ACRONYM_AFTER = re.compile(r"\s*\((?P<acronym>[A-Z]{2,6})\)")
_HEAD_NOUNS = {"agency": "Agency", "force": "Police", "police": "Police", "ministry": "Ministry",
               "department": "Department", "office": "Office", "court": "Court", "government": "Government",
               "company": "Company", "party": "Party", "charity": "Charity", "group": "Group",
               "council": "Council", "union": "Union", "bank": "Bank", "newspaper": "", "organisation": "",
               "organization": ""}


@lru_cache(maxsize=8192)  # pure, and a document names the same speakers again and again
def _strip_title(phrase: str) -> tuple[str, str]:
    """'Prime Minister Edi Rama' -> ('Edi Rama', 'Prime Minister')."""
    phrase = _PLACE_POSSESSIVE.sub("", phrase)  # "Albania's Prime Minister Arben Kola"
    match = _TITLES.match(phrase)
    rest, title = (phrase[match.end():].strip(), match.group().strip()) if match and match.end() < len(phrase) \
        else (phrase, "")
    place = _PLACE_TITLE.match(rest)
    if place and place.end() < len(rest):
        rest, title = rest[place.end():].strip(), f"{title} {place.group().strip()}".strip()
    return rest, title


@lru_cache(maxsize=8192)  # pure, and a document names the same speakers again and again
def _is_name(phrase: str) -> bool:
    words = phrase.split()
    return bool(words) and all(w[0].isupper() or w in _LOWER_WORDS for w in words) and words[0][0].isupper() \
        and words[0].lower() not in ("the", "a", "an", "one", "his", "her", "their", "its")


@lru_cache(maxsize=8192)  # pure, and a document names the same speakers again and again
def _described_name(phrase: str) -> re.Match | None:
    """'retired teacher Jean Ashby' -> its description and name; only a phrase with a lower-case word can be one."""
    return _DESCRIBED_NAME_FULL.fullmatch(phrase) if any(w[:1].islower() for w in phrase.split()) else None


def _resolve(text: str, found: list[tuple[Speech, _Tag | None]]) -> list[Speech]:
    out = []
    last_person = ("", "")  # name, role of the last person who spoke
    genders: dict[str, str] = {}  # name -> "he" / "she", from a title (Mr, Mrs) or a pronoun already used
    roles: dict[str, str] = {}  # name -> the role the document gave them where it named them with a title
    memo: dict = {}  # _earlier_full_name's scans so far, by name
    for speech, tag in found:
        if not speech.speaker:
            out.append(speech)
            continue
        phrase = speech.speaker.strip()
        apposition = tag.apposition if tag else ""
        name, title = phrase, ""
        role_words = [phrase, apposition]
        low = phrase.lower()
        if low in _PERSON_PRONOUNS:
            name, role = last_person if last_person[0] else _nearby_person(text, speech.speaker_start)
            subject = _sentence_subject(text, speech.speaker_start)
            if subject and subject not in name.split():
                # 'Helen Ortega defended her record, but she admitted that ...': she is Ortega, not the last
                # person quoted (PolNeAR dev gave such a 'she' to the man quoted before, and then every later
                # 'he' lost him)
                full, full_title, _ = _earlier_full_name(text, subject, speech.speaker_start, memo)
                person = full or (_strip_title(subject)[0] if " " in subject else "")
                said_to_be = _GENDERED_TITLES.get((full_title or subject).split()[0].rstrip(".").lower())
                pronoun = "she" if low in ("she", "her") else "he"
                # a person the text named in full ('Recent shipments' is none), of the pronoun's gender where it
                # is known ('Prince Harry ..., and she said')
                if person and genders.get(person, said_to_be or pronoun) == pronoun:
                    name = person
                    role = roles.get(name, "") or role_of(full_title)
            pronoun = "she" if low in ("she", "her") else "he"
            if name and genders.setdefault(name, pronoun) != pronoun:
                name, role = "", ""  # 'she' after a man spoke: someone else, whom the text does not name here
        elif low in ("they", "it", "we", "i"):
            name, role = "", ""
        elif _BARE_GROUP.fullmatch(phrase):
            name, role = low if phrase != "MPs" else phrase, role_of(phrase)  # 'Police said' starts a sentence
        elif (described := _described_name(phrase)) and _is_name(described["name"]):  # 'retired teacher Jean Ashby'
            name, title = _strip_title(described["name"])
            role_words.append(title)
            role = role_of(*role_words)
            phrase = described["name"]
        elif _is_name(phrase):
            # a transcript's 'PENCE' is the Pence named earlier (an acronym with no such name stays as written)
            capitals = phrase.isupper() and len(phrase) > 2
            name, title = _strip_title(phrase.title() if capitals else phrase)
            full, full_title, full_context = _earlier_full_name(text, name, speech.speaker_start, memo)
            if full:
                name = full
                role_words.append(full_title)
            elif capitals:
                name, title = _strip_title(phrase)
            role_words += [title, _words_before(text, speech.speaker_start)]  # 'Chief executive Marco Bellini'
            # the words around the earlier full name come last: 'New Jersey Gov. Chris Christie' in a story about
            # police shootings was 'police' from the words after his name
            role = role_of(*role_words) or roles.get(name, "") or (role_of(full_context) if full else "")
        elif _is_name(apposition) and len(apposition.split()) >= 2:
            name, title = _strip_title(apposition)  # 'Her opponent, Mark Green, said': the name is given beside
            role = role_of(phrase, apposition, title)
        else:
            organisation = _earlier_organisation(text, phrase, speech.speaker_start, memo)
            bare = phrase.split(" ", 1)[1] if low.startswith("the ") and " " in phrase else ""
            if not organisation and bare and _BARE_GROUP.fullmatch(bare):
                bare = bare.lower()  # 'The police' -> 'police', as 'Police said' is
            name = organisation or (bare if _is_name(bare) or bare.islower() and _BARE_GROUP.fullmatch(bare)
                                    else phrase)  # 'The Home Office' -> 'Home Office'
            role = role_of(*role_words, organisation)
            if not organisation and _unnamed_individual(phrase) and role not in _INSTITUTIONAL:
                role = "anonymous"  # "an insider", "the gangster": one person the reader cannot identify
        if low not in _PERSON_PRONOUNS:
            role = role or role_of(*role_words)
            if name and role:
                roles.setdefault(name, role)  # 'Rama said' later is still the prime minister
        elif name and not role:
            role = roles.get(name, "")
        if (_is_name(phrase) and " " in name) or (_unnamed_individual(phrase) and role == "anonymous"):
            last_person = (name, role)
            gender = _GENDERED_TITLES.get(title.split()[0].rstrip(".").lower()) if title else None
            if gender:
                genders.setdefault(name, gender)
        kind = cue_kind(speech.cue, role)
        out.append(speech._replace(speaker_name=name, speaker_role=role, cue_kind=kind))
    return out


_CLAUSE_MARK = re.compile(r"[.;:!?,()“”\"‘’\n]")


def _words_before(text: str, start: int) -> str:
    """The lower-case words written right before a name in its clause ('chief executive', 'retired teacher'):
    a title that is no capitalised title."""
    before = text[max(0, start - 40):start]
    marks = list(_CLAUSE_MARK.finditer(before))
    return before[marks[-1].end():] if marks else before


def _wordish(char: str) -> bool:
    return char.isalnum() or char in "_’'-"  # [\w’'-]


def _earlier_full_name(text: str, name: str, before: int, memo: dict | None = None) -> tuple[str, str, str]:
    """The fullest earlier mention that ends with ``name`` ('Rama' -> 'Edi Rama'), its title, and the words
    written around it (an apposition gives the role). ``memo`` (one per document): where the scan for ``name``
    stopped and what it had found, so that the next mention of the same speaker further on scans only the text
    in between ('Patel said' twenty times scanned the article from its start twenty times)."""
    surname = name.split()[-1]
    limit = max(0, before)
    # only where the surname is written: a scan of the whole text for every mention cost more than the rest,
    # and a regex made for each surname was compiled again for most documents (str.find needs no compiling)
    state = memo.get(name) if memo is not None else None
    resume, best = (state[1], state[2]) if state and state[0] <= limit else (0, ("", "", ""))
    at = text.find(surname, resume, limit)
    while at >= 0:
        end = at + len(surname)
        if end < limit and memo is not None:
            # an occurrence ending before the limit is judged the same whatever the limit: remember the scan so far
            memo[name] = (limit, at, best)
        if (at > 0 and _wordish(text[at - 1])) or (end < limit and _wordish(text[end])):
            at = text.find(surname, at + 1, limit)
            continue
        seen_start, at = at, text.find(surname, end, limit)
        match = _FULL_NAME_AT_END.search(text, max(0, seen_start - 120), end)
        if match is None:
            continue
        candidate = match.group("name")
        if candidate.split()[0].lower() in _NOT_SPEAKERS | {"the", "a", "an"}:
            continue
        if candidate.split()[-1] != surname or len(candidate.split()) <= len(best[0].split()):
            continue
        if len(name.split()) > 1 and not candidate.endswith(name):
            continue
        title = match.group()[:match.start("name") - match.start()].strip()
        context = text[match.end():match.end() + 80].split("\n")[0]
        best = (candidate, title, context.split(".")[0])
    return best


_LINE_BREAKS = re.compile(r"\n+")
_WORD_START = re.compile(r"(?:^|(?<=[\s(]))\S")
_TOKEN = re.compile(r"[\w']+")
_GENDERED_TITLES = {"mr": "he", "mister": "he", "sir": "he", "lord": "he", "king": "he", "prince": "he",
                    "father": "he", "mrs": "she", "ms": "she", "miss": "she", "dame": "she", "lady": "she",
                    "queen": "she", "princess": "she"}
_QUOTE_MARKS = re.compile(r"[\"“”‘’«»]")
_MARK_NOT_APOSTROPHE = re.compile(r"[\"“”‘«»]|’(?!\w)|(?<!\w)’")
_INSTITUTIONAL = frozenset({"police", "government", "politician", "courts", "expert", "ngo", "media", "business"})
_UNNAMED = re.compile(r"^(?:[Aa]n?|[Oo]ne|[Tt]he|[Aa]nother)\s+(?:[a-z][\w’'-]*\s+){0,4}[a-z][\w’'-]*[^s\W]$")


@lru_cache(maxsize=8192)  # pure, and a document names the same speakers again and again
def _unnamed_individual(phrase: str) -> bool:
    """One person described, not named: 'an insider', 'the gangster', 'a 34-year-old mother' (not 'the
    agency', 'the court': institutions)."""
    return bool(_UNNAMED.match(phrase)) and phrase.split()[-1].lower() not in _HEAD_NOUNS


# a name opening a sentence and followed by a verb: the subject a later 'he'/'she' of the sentence refers to
_SUBJECT_NAME = re.compile(rf"(?P<name>{_NAME})\s+(?:(?:{_AUXILIARY_WORDS}|also|then|later|first)\s+)?[a-z]+(?:ed|s)\b")


def _sentence_subject(text: str, pronoun_at: int) -> str:
    """The person named as the subject at the start of the pronoun's sentence, before a comma and a later clause
    ('At the hustings, Helen Ortega defended ..., but she admitted'), or "" (no such name, or the pronoun opens
    the sentence)."""
    start = max(text.rfind(". ", 0, pronoun_at), text.rfind("\n", 0, pronoun_at)) + 1
    head = text[start:pronoun_at]
    if len(head) > 300 or ", " not in head:
        return ""
    offset = len(head) - len(head.lstrip())
    at = _after_opener(head, offset)
    match = _SUBJECT_NAME.match(head, at)
    if match is None or match.end() > head.rfind(", "):
        return ""
    if _ANOTHER_PERSON.search(head, match.end()):
        return ""  # 'Keir Starmer appointed Rachel Reeves ..., and she said': someone else is named in between
    name = match.group("name")
    if not _is_name(name) or name.split()[0].lower() in _NOT_SPEAKERS or _BARE_GROUP.fullmatch(name) \
            or role_of(name) in _INSTITUTIONAL - {"politician"} or name.split()[0] in _NOT_SUBJECT_WORDS:
        return ""
    return name


_NOT_SUBJECT_WORDS = frozenset("The A An This That These Those His Her Its Their Our My Your It He She They We I".split())
# a person named or described between the subject and the pronoun: the pronoun may be theirs
_ANOTHER_PERSON = re.compile(r"(?<!\bthe )(?<!\bThe )\b(?:[A-Z][\w’'-]+\s+[A-Z][\w’'-]+|(?:wife|husband|mother|father|son|daughter|sister|"
                             r"brother|man|woman|boy|girl|deputy|victim|defendant|suspect|partner|friend|rival|"
                             r"opponent)\b)")


def _nearby_person(text: str, before: int) -> tuple[str, str]:
    """For 'he'/'she' when nobody spoke before: the last full name written in this or the previous paragraph."""
    window_start = max(0, before - 800)
    breaks = [m.end() for m in _LINE_BREAKS.finditer(text, window_start, max(window_start, before))]
    start = breaks[-2] if len(breaks) >= 2 else window_start  # this paragraph and the one before
    best = None
    for match in _FULL_NAME.finditer(text, start, max(0, before)):
        name = match.group("name")
        if name.split()[0].lower() in _NOT_SPEAKERS | {"a", "an", "the"} \
                or role_of(name) in _INSTITUTIONAL - {"politician"}:
            continue  # 'An Albanian drug lord' names no one
        best = match
    return (best.group("name"), role_of(best.group())) if best else ("", "")


def _earlier_organisation(text: str, phrase: str, before: int, memo: dict | None = None) -> str:
    """'the agency' -> 'NCA' when 'the National Crime Agency (NCA)' is written earlier: the latest earlier
    mention of an organisation with that head noun, by its name or by the acronym it was given. ``memo`` (one
    per document) keeps the names found in the whole text by head noun: those ending before ``before`` are the
    ones a scan of the text before it finds, unless a name reaches across ``before`` or the text before it
    ends with the head noun (then that text is scanned as before)."""
    words = phrase.lower().split()
    if len(words) != 2 or words[0] != "the" or not _HEAD_NOUNS.get(words[1]):
        return ""
    head = _HEAD_NOUNS[words[1]]
    if text.find(head, 0, max(0, before)) < 0:
        return ""  # every mention, by name or by acronym, starts from a name ending with the head noun
    before = max(0, before)
    earlier = text[:before]
    pattern = re.compile(rf"(?:[A-Z][\w’'-]+\s+){{1,5}}{head}\b")
    everywhere = None
    if memo is not None:
        everywhere = memo.get(("organisation", head))
        if everywhere is None:
            everywhere = memo[("organisation", head)] = list(pattern.finditer(text))
    if everywhere is None or text.endswith(head, 0, before) or any(m.start() < before <= m.end() for m in everywhere):
        matches = pattern.finditer(earlier)
    else:
        matches = [m for m in everywhere if m.end() < before]
    mentions = []  # (position, name)
    acronyms = {}
    for match in matches:
        acronym = _ACRONYM_AFTER.match(text, match.end())
        name = acronym.group("acronym") if acronym else match.group().strip()
        mentions.append((match.start(), name))
        if acronym:
            acronyms[acronym.group("acronym")] = name
    for _, name in list(mentions):  # 'National Crime Agency' is also written 'NCA'
        initials = "".join(w[0] for w in name.split() if w[0].isupper())
        if len(initials) >= 2:
            acronyms.setdefault(initials, name)
    for acronym in acronyms:  # only the latest mention counts: searched from the end, without a regex
        at = _last_whole_word(earlier, acronym)
        if at >= 0:
            mentions.append((at, acronym))
    return max(mentions)[1] if mentions else ""


def _last_whole_word(text: str, word: str) -> int:
    """Where ``word`` last stands as a whole word in ``text`` (as ``\\bword\\b``), or -1."""
    at = text.rfind(word)
    while at >= 0:
        end = at + len(word)
        if not (at > 0 and (text[at - 1].isalnum() or text[at - 1] == "_")) and not (
                end < len(text) and (text[end].isalnum() or text[end] == "_")):
            return at
        at = text.rfind(word, 0, end - 1)
    return -1
