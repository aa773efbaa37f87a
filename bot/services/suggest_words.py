"""Word lists of the suggestion detector's cue features (:mod:`bot.services.suggest_cues`),
in English, French and Spanish: no topic words, only the words that carry how something is
said (function words, modals, markers of advice and asks, common verbs in their base form,
common past forms)."""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Kept as themselves in a message's skeleton.
FUNCTION = _words(
    """
    i me my we us our you your he she it its they them their this that these those there
    here someone somebody anyone anybody everyone everybody nobody people one
    a an the some any no not every each all more most less much many other another such
    and or but if when whether because so than then also too just only even still already
    to of in on at for with about from by as into like up out over after before without
    is are was were be been being am do does did done have has had having get got
    can could would should shall will might may must ought need needs needed want wants
    wanted wish wishes hope like love prefer let let's please pls plz thanks thank kindly
    what why how who where which whom whose
    suggest suggestion recommend recommendation propose proposal advise advice idea tip
    tips option feature way request ask asking help consider try make sure avoid allow add
    enable provide support include bring keep remember forget don't dont doesn't didn't
    can't cannot couldn't wouldn't shouldn't isn't aren't wasn't weren't won't i'm i'd
    i've i'll we'd we're we've we'll you'd you're you'll it's it'd that's there's let's
    great nice good better best useful helpful handy cool awesome worth possible able
    easier important necessary ideal perfect bad worse terrible annoying must-have
    yes no ok okay maybe perhaps probably definitely really very currently now today
    tomorrow yesterday last next ago always never again soon
    je tu il elle nous vous ils elles on me te se le la les un une des du de au aux ce
    cette ces mon ma mes notre nos votre vos leur leurs qui que quoi où pourquoi comment
    est sont était étaient été être avoir ai as a avons avez ont avait eu pas ne n' plus
    et ou mais si quand donc aussi très pour par avec sans dans sur en
    pourrait pourrions pourriez pourrais pouvez peux peut devrait devrions devriez dois
    doit faut faudrait serait seraient sera voudrais aimerais merci svp propose suggère
    recommande conseille idée quelqu'un besoin aide
    yo tú él ella nosotros ustedes ellos me te se lo la los las un una unos unas el del al
    este esta estos estas mi mis nuestro nuestra su sus que qué quién dónde cómo por
    porque para con sin en sobre es son era eran fue sido ser estar está están hay ha han
    había no sí y o pero si cuando también muy más
    podría podríamos podrían podrías debería deberíamos deberían sería serían hace falta
    habría quisiera gustaría favor propongo sugiero recomiendo idea alguien ayuda
    necesito conviene vale
    ? ! :
    """
)
# English verbs in their base form (an imperative, or a verb after a modal): "_v" in the
# skeleton, so "should _v" and a message that starts with "_v" look alike whatever the verb.
VERBS = _words(
    """
    accept access add adjust allow answer apply arrange arrive ask attach attend avoid bake
    be become begin believe book borrow bring build buy call cancel carry change charge check
    choose clean clear close collect combine come compare complete confirm connect consider
    contact continue copy cover create cut deal decide delete deliver describe design
    develop disable discuss display do download drink drive drop eat edit email enable
    encourage enjoy ensure enter expand explain explore export expose extend fill find
    finish fix focus follow forget forward gather get give go grab group handle head help
    hide hire hold host import improve include increase inform install introduce invest
    invite join keep know label launch learn leave lend let limit link list listen load look
    lower make manage mark measure meet mention merge move name note notify offer open order
    organise organize pack pair pass pay pick pin plan plant play post prepare present print
    prioritise prioritize provide publish pull push put raise reach read record reduce
    refresh register reload remember remind remove rename rent reopen repair replace reply
    report request require reserve reset respond restart restore return review rewrite run
    save schedule search see select sell send set settle share show shut sign simplify skip
    sort speak split start stay stop store submit support switch sync take talk teach tell
    test think track train translate try turn undo unlock update upgrade upload use validate
    visit vote wait walk watch wear write
    """
)
# First words that make a message read as advice or an ask (English, French, Spanish).
IMPERATIVES = VERBS | _words(
    """
    don't dont never always please pls plz let's beware definitely
    ajoutez évitez pensez prenez n'oubliez veuillez essayez utilisez réservez demandez
    prévoyez allez permettez mettez faites gardez merci n'hésitez profitez visitez goûtez
    añadan eviten piensen tomen usen reserven prueben traigan pidan vayan compren lleven
    agreguen permitan hagan visiten aprovechen
    """
)
# Common irregular past forms ("_ed" in the skeleton, like regular ones).
PAST = _words(
    """
    went came took gave made found told thought felt left saw ate paid spent kept brought
    bought sent sat slept stood heard said knew met ran wrote read began became chose drove
    flew forgot got held lost meant put set shut sold spoke swam taught understood woke won
    """
)
# Words that mark advice, proposals and asks in any domain, one feature each.
MARKERS = tuple(
    sorted(
        _words(
            """
            should could would might must may can please need needs want wish like love
            suggest recommend propose advise consider try make sure don't avoid allow add
            enable support provide let's let why how what anyone someone anybody somebody help
            tips advice you we i better great nice useful helpful worth if idea option able
            possible feature instead pourrait devrait faudrait serait propose suggère
            recommande aider quelqu'un conseils podríamos deberíamos sería propongo sugiero
            recomiendo ayudar alguien consejos
            """
        )
    )
)
