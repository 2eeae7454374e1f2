"""Answers shaped by what is asked, read as a council officer would, on the real corpus and model."""

from __future__ import annotations

import re

from assistant.answer import Turn
from assistant.rag import Assistant


def first_line(text: str) -> str:
    return text.strip().splitlines()[0]


def test_a_how_do_we_question_gets_the_guides_first_steps_as_a_numbered_list(assistant: Assistant) -> None:
    answer = assistant.ask("How do we prepare our council for a cyber attack?")
    assert answer.kind == "steps"
    steps = [line for line in answer.text.splitlines() if re.match(r"^\d+\. ", line)]
    assert 2 <= len(steps) <= 4
    assert "backup" in answer.text.lower() and "multi-factor" in answer.text.lower()
    first_cited = answer.citations[0]
    assert first_cited.doc_id == "outcome-security-and-resilience" and "Where to start" in first_cited.section
    # The guide's summary never leads; a question about the whole topic starts where the guide starts.
    assert "withstand, detect and recover" not in first_line(answer.text)
    assert "offline or immutable backup" in first_line(answer.text)


def test_a_how_do_we_question_about_one_step_leads_with_that_step(assistant: Assistant) -> None:
    answer = assistant.ask("How do we lend devices to residents who have none?")
    assert answer.kind == "steps"
    assert "device" in first_line(answer.text).lower()


def test_a_small_council_governance_question_leads_with_governance_steps(assistant: Assistant) -> None:
    answer = assistant.ask("How can a district council with a small team improve its data governance?")
    assert answer.status == "answered"
    assert answer.citations[0].doc_id == "outcome-data"
    lead = first_line(answer.text)
    assert not re.search(r"\bwas a district council\b", lead) and "ransomware" not in lead.lower()


def test_a_new_topic_after_a_conversation_is_answered_on_its_own(assistant: Assistant) -> None:
    earlier = "What happened in Redcar's ransomware attack?"
    answer = assistant.ask("What is a UPRN?", history=[Turn(earlier, assistant.ask(earlier).text)])
    assert answer.kind == "definition"
    assert first_line(answer.text).startswith("**UPRN")
    assert answer.citations[0].doc_id == "framework-glossary"
    assert "ransom" not in answer.text.lower()


def test_council_questions_with_everyday_words_are_answered(assistant: Assistant) -> None:
    for question in (
        "How do councils use weather sensors to predict flooding?",
        "What are the key ingredients of a good digital strategy?",
    ):
        answer = assistant.ask(question)
        assert answer.status == "answered" and answer.citations, question


def test_everyday_requests_are_refused_with_the_rule_that_fired(assistant: Assistant) -> None:
    answer = assistant.ask("Tell me a joke about spreadsheets")
    assert answer.status == "out_of_scope" and answer.rule == "everyday-request"
    answer = assistant.ask("When is my bin collected?")
    assert answer.status == "out_of_scope" and answer.rule == "personal-matter"


def test_an_examples_question_names_councils_with_what_they_did(assistant: Assistant) -> None:
    answer = assistant.ask("Which councils have reused devices to help residents get online?")
    assert answer.kind == "examples"
    assert answer.citations[0].doc_type == "case-study"
    assert any(c.doc_type == "case-study" for c in answer.citations)


def test_citations_carry_the_documents_review_date(assistant: Assistant) -> None:
    answer = assistant.ask("What is the Cyber Incident Response service?")
    assert answer.citations and all(
        re.fullmatch(r"\d{4}-\d{2}-\d{2}", c.reviewed or "") for c in answer.citations
    )


def test_a_maturity_question_explains_the_levels_and_points_to_the_self_assessment(
    assistant: Assistant,
) -> None:
    answer = assistant.ask("How mature is our council on data?")
    assert answer.kind == "maturity" and answer.status == "answered"
    assert "Starting" in answer.text and "Leading" in answer.text
    assert "almanac assess" in answer.text or "/assess" in answer.text


def test_a_paraphrased_question_gets_the_guides_own_answer_first(assistant: Assistant) -> None:
    # Worded unlike the guide's common question, and not among the top retrieved chunks' headings.
    answer = assistant.ask("Who do we have to tell if ransomware hits us?")
    assert answer.citations[0].doc_id == "outcome-security-and-resilience"
    assert answer.citations[0].section.endswith("Do we have to report a ransomware attack, and to whom?")


def test_a_bare_term_is_defined_by_its_glossary_entry_in_full(assistant: Assistant) -> None:
    answer = assistant.ask("whats novation")
    assert answer.kind == "definition"
    assert answer.citations[0].doc_id == "framework-glossary"
    lead = first_line(answer.text)
    assert lead.startswith(("**Novation", "Novation")), lead


def test_a_question_about_one_councils_case_stays_with_that_case(assistant: Assistant) -> None:
    # Hackney has two case studies; a question about its attack is not answered from its apprenticeships.
    answer = assistant.ask("What did Hackney's ransomware attack cost the council?")
    cited = {c.doc_id for c in answer.citations}
    assert "case-hackney-ransomware" in cited
    assert "case-hackney-hackit-apprenticeships" not in cited
    assert not first_line(answer.text).startswith("How ")


def test_every_labelled_council_line_is_about_that_council(assistant: Assistant) -> None:
    answer = assistant.ask("Which councils have given refurbished laptops to residents who are offline?")
    assert answer.kind == "examples"
    for line in answer.text.splitlines():
        labelled = re.match(r"^- \*\*(?P<label>[^*]+?):?\*\*:? (?P<text>.*)", line)
        if not labelled:
            continue
        opening = re.match(
            r"^((?:[A-Z][\w'&-]*,? )+?(?:County |City |District |Borough )?Council)\b", labelled["text"]
        )
        if opening:
            assert opening.group(1).split()[0] in labelled["label"], line
        assert not re.match(r"^(Other|Those|These|They|It)\b", labelled["text"]), line


def test_no_gap_note_names_an_everyday_word(assistant: Assistant) -> None:
    answer = assistant.ask(
        "we've got a new chatbot going live next month, what do we need to have done before launch?"
    )
    assert answer.status == "answered"
    assert "nothing specific on" not in answer.text


def test_a_guides_own_answer_is_not_padded_with_another_guides_first_steps(assistant: Assistant) -> None:
    answer = assistant.ask("How can a district council with a small team improve its data governance?")
    first = answer.citations[0]
    assert first.doc_id == "outcome-data" and "Common questions" in first.section
    for cited in answer.citations[1:]:
        assert not (cited.doc_id != first.doc_id and cited.section.startswith("Where to start")), cited


def test_a_product_the_glossary_names_is_read_as_its_subject(assistant: Assistant) -> None:
    # The model knows little of "ChatGPT"; the glossary explains it under generative AI.
    answer = assistant.ask("Can staff use ChatGPT to translate letters?")
    assert answer.status == "answered"
    assert "generative ai" in answer.text.lower()
    assert any(c.doc_id in ("outcome-ethics", "outcome-data", "framework-glossary") for c in answer.citations)


def test_a_guides_common_question_leads_only_when_it_asks_what_was_asked(assistant: Assistant) -> None:
    answer = assistant.ask(
        "Is it against the law for us to hand over a ransom to criminals who've locked our files?"
    )
    assert answer.citations[0].section.endswith("Is it illegal for a council to pay a ransom?")
    # Asked "who do we tell", the reporting answer leads without a "yes" nobody asked for.
    answer = assistant.ask("Who needs to be told when ransomware hits us?")
    lead = first_line(answer.text)
    assert "reporting portal" in answer.text or "ICO" in lead
    assert not re.match(r"^(yes|no)\b|^[^.]*, yes:", lead, re.IGNORECASE)


def test_a_question_naming_maturity_levels_gets_each_levels_signs(assistant: Assistant) -> None:
    answer = assistant.ask("How can we tell if we're just starting out on digital inclusion or established?")
    assert first_line(answer.text).startswith("**Starting level:**")
    assert "**Established level:**" in answer.text
    assert {c.doc_id for c in answer.citations} == {"outcome-inclusion"}
    assert all("Self-assessment" in c.section for c in answer.citations)


def test_a_named_councils_case_never_opens_with_another_council(assistant: Assistant) -> None:
    answer = assistant.ask("How did Essex run its laptop donation scheme?")
    lead = first_line(answer.text)
    assert "Staffordshire" not in lead and "sources" not in lead
    assert answer.citations[0].doc_id == "case-essex-device-donation"


def test_a_question_about_flood_sensors_is_answered_from_councils_that_use_them(assistant: Assistant) -> None:
    answer = assistant.ask("How do councils use weather sensors to predict flooding?")
    assert answer.citations[0].doc_id == "case-flood-sensor-networks"
    assert "flood" in first_line(answer.text).lower()
    # Each council's line is about that council: no national figures or other places under its label.
    assert "Ofcom" not in answer.text and "Norfolk" not in answer.text


def test_a_follow_up_is_answered_with_what_the_previous_answer_did_not_say(assistant: Assistant) -> None:
    earlier = "What did Derby do with AI assistants on the phones?"
    first = assistant.ask(earlier)
    answer = assistant.ask(
        "did it actually save them money or is that just the forecast?", history=[Turn(earlier, first.text)]
    )
    assert first_line(answer.text) != first_line(first.text)
    assert "forecast" in answer.text.lower() or "saving" in answer.text.lower()


def test_a_follow_up_whose_only_rare_word_is_a_number_is_read_with_the_earlier_turn(
    assistant: Assistant,
) -> None:
    answer = assistant.ask(
        "What would the first 90 days look like?",
        history=["We have no plan for digital inclusion. Who should own it?"],
    )
    assert answer.status == "answered"
    assert "inclusion" in answer.text.lower()


def test_a_chat_opener_does_not_stop_a_glossary_term_being_defined(assistant: Assistant) -> None:
    answer = assistant.ask("quick one - what's a wayleave?")
    assert answer.status == "answered" and answer.kind == "definition"
    assert first_line(answer.text).startswith("**Wayleave")


def test_a_product_the_glossary_names_leads_with_that_entry_and_its_safeguards(assistant: Assistant) -> None:
    answer = assistant.ask("Can staff use ChatGPT to translate letters?")
    lead = first_line(answer.text)
    assert lead.startswith("**Generative AI:**") and "translate" in lead and "checks" in lead


def test_a_how_question_about_a_named_case_hears_what_the_council_did(assistant: Assistant) -> None:
    answer = assistant.ask(
        "How did Leeds manage to get all its office staff working from home so quickly in 2020?"
    )
    assert any(
        c.doc_id == "case-leeds-home-working-switch" and c.section == "What they did"
        for c in answer.citations
    )


def test_a_list_question_naming_its_guide_gets_that_guides_section(assistant: Assistant) -> None:
    answer = assistant.ask("what does good look like on the democracy outcome?")
    assert {c.doc_id for c in answer.citations} == {"outcome-democracy"}
    assert all(c.section == "What good looks like" for c in answer.citations)


def test_whether_a_named_council_saved_money_is_answered_from_what_came_of_it(assistant: Assistant) -> None:
    answer = assistant.ask("Has Somerset's merger into one council saved any money?")
    lead = first_line(answer.text)
    # Both accounts of the savings, each with its source, not the story of the merger again.
    assert "CIPFA" in lead and "£8.8m" in lead and "£50m" in lead
    assert answer.citations[0].section == "What happened"


def test_what_a_regulator_found_about_a_named_council_opens_with_the_finding(assistant: Assistant) -> None:
    answer = assistant.ask("What did the ICO find about Gloucester's attack?")
    lead = first_line(answer.text)
    assert "reprimanded Gloucester City Council" in lead and "central logging" in lead
    assert answer.citations[0].doc_id == "case-gloucester-cyber-attack"


def test_a_council_that_describes_itself_hears_its_closest_level_and_the_next(assistant: Assistant) -> None:
    answer = assistant.ask(
        "We have standard DPIA templates and publish our transparency data, though late and as PDFs. "
        "What maturity level are we on data?"
    )
    assert first_line(answer.text).startswith("**Closest level: Developing.**")
    assert "To reach Established:" in answer.text
    assert {c.section for c in answer.citations} >= {
        "Self-assessment > Developing",
        "Self-assessment > Established",
    }


def test_how_to_assess_maturity_is_not_answered_with_a_level(assistant: Assistant) -> None:
    answer = assistant.ask("How can we work out our digital maturity?")
    assert "Closest level" not in answer.text


def test_what_good_looks_like_for_a_named_outcome_is_that_guides_list(assistant: Assistant) -> None:
    answer = assistant.ask("What would excellent look like for digital inclusion at a council?")
    assert answer.citations[0].doc_id == "outcome-inclusion"
    assert answer.citations[0].section == "What good looks like"
    assert len([line for line in answer.text.splitlines() if line.startswith("- ")]) >= 3


def test_a_term_then_a_question_about_it_gets_the_entry_and_the_guides_answer(assistant: Assistant) -> None:
    answer = assistant.ask("What is a DPIA and do we need one before staff use Copilot?")
    assert first_line(answer.text).startswith("**DPIA")
    assert any(c.section.startswith("Common questions") for c in answer.citations[1:])


def test_lessons_from_a_named_case_are_its_lessons_as_a_list(assistant: Assistant) -> None:
    answer = assistant.ask("What should we take away from Gloucester's cyber attack?")
    assert {c.section for c in answer.citations} == {"What others can learn"}
    assert len([line for line in answer.text.splitlines() if line.startswith("- ")]) >= 2


def test_a_question_naming_a_case_gets_no_gap_note_for_its_other_words(assistant: Assistant) -> None:
    answer = assistant.ask(
        "Our CMS deal ends next year; what should we check before we sign up to LocalGov Drupal?"
    )
    assert "nothing specific" not in answer.text
    assert answer.citations[0].doc_id == "case-localgov-drupal"


def test_a_why_question_about_a_named_case_opens_with_the_reason_not_a_scene(assistant: Assistant) -> None:
    answer = assistant.ask("Why did Midlothian give up webcasting its cabinet?")
    lead = first_line(answer.text)
    assert "13 live viewers" in lead and "£400" in lead
    assert len([line for line in answer.text.splitlines() if line.startswith("- ")]) <= 3


def test_both_parts_of_a_two_part_question_about_a_case_are_answered(assistant: Assistant) -> None:
    answer = assistant.ask("What did Hackney's ransomware attack cost, and did the ICO fine them?")
    assert "£12.2m" in answer.text or "£10m" in answer.text
    assert "no fine" in answer.text
    first_seen = list(dict.fromkeys(int(n) for n in re.findall(r"\[(\d+)\]", answer.text)))
    assert first_seen == sorted(first_seen)  # sources numbered in the order a reader meets them


def test_a_council_describing_its_reorganisation_and_asking_what_to_do_gets_steps_not_a_level(
    assistant: Assistant,
) -> None:
    answer = assistant.ask(
        "We're merging into a new unitary council in 2027. What should our IT team do first?"
    )
    assert "Closest level" not in answer.text and "/assess" not in answer.text
    assert "reorganisation" in answer.text.splitlines()[0]


def test_a_second_part_a_guide_answers_gets_that_guides_answer(assistant: Assistant) -> None:
    answer = assistant.ask(
        "Which councils have flood sensors on LoRaWAN, and should we build our own IoT network?"
    )
    assert any(
        c.section.endswith("Is it worth building our own IoT or LoRaWAN network?") for c in answer.citations
    )
    assert answer.citations[0].doc_id == "case-flood-sensor-networks"


def test_a_question_naming_another_council_after_a_conversation_is_about_that_council(
    assistant: Assistant,
) -> None:
    earlier = "How did Leeds get its office staff home in 2020?"
    answer = assistant.ask(
        "How did Kent's analysts link their records?", history=[Turn(earlier, assistant.ask(earlier).text)]
    )
    assert answer.citations[0].doc_id == "case-kent-integrated-dataset"
    assert "Leeds" not in answer.text


def test_a_council_with_a_weak_spot_hears_its_level_and_what_holds_it_back(assistant: Assistant) -> None:
    answer = assistant.ask(
        "On security we hold Cyber Essentials and have MFA on remote access, and we've begun the CAF by "
        "listing our critical systems, but nobody has ever test-restored our backups. What level are we?"
    )
    assert first_line(answer.text).startswith("**Closest level: Developing.**")
    held = answer.text.split("Holding you back")[1].split("To reach")[0]
    assert "test-restored" in held


def test_what_went_wrong_in_a_named_case_opens_with_its_story(assistant: Assistant) -> None:
    answer = assistant.ask("So what went wrong for Connecting Devon and Somerset with Gigaclear?")
    assert answer.citations[0].doc_id == "case-connecting-devon-somerset-contracts"
    assert answer.citations[0].section == "Summary"


def test_a_council_describing_itself_is_placed_on_the_guide_it_names(assistant: Assistant) -> None:
    answer = assistant.ask(
        "We have a data strategy signed off and named owners for our main datasets. "
        "Where are we on the data outcome?"
    )
    assert first_line(answer.text).startswith("**Closest level:")
    assert all(c.doc_id == "outcome-data" for c in answer.citations)
    # A sign the council already shows is not listed again as what it needs to reach the next level.
    text = answer.text
    if "To reach " in text:
        shown = text.split("To reach ")[0]
        ahead = text.split("To reach ")[1]
        assert not any(line in ahead for line in shown.splitlines() if line.startswith("- "))


def test_a_named_level_of_a_named_outcome_gets_that_levels_signs(assistant: Assistant) -> None:
    answer = assistant.ask("What would a Leading council look like on partnership?")
    assert first_line(answer.text).startswith("**Leading level:**")
    assert answer.citations[0].doc_id == "outcome-partnership"
    assert "/assess" not in answer.text  # asked about the level in general, not where this council stands


def test_a_named_partnership_is_answered_from_its_own_case(assistant: Assistant) -> None:
    answer = assistant.ask("What did the GO Shared Services partnership share, and was it worth it?")
    assert answer.citations[0].doc_id == "case-go-shared-services"
    assert "Publica" in first_line(answer.text)


def test_a_guides_yes_does_not_open_an_answer_to_a_question_that_is_not_yes_or_no(
    assistant: Assistant,
) -> None:
    answer = assistant.ask("What are the risks of moving all our services online for older residents?")
    assert not re.match(r"^(yes|no)\b", answer.text.strip(), re.I)


def test_a_how_do_we_measure_question_gets_the_guides_measures_for_that_service(assistant: Assistant) -> None:
    answer = assistant.ask("How do we measure whether our website is getting better?")
    items = [line for line in answer.text.splitlines() if line.startswith("- ")]
    assert len(items) >= 2
    assert all(c.doc_id == "outcome-services" for c in answer.citations)


def test_a_case_whose_summary_lists_what_happened_leads_with_the_part_asked_about(
    assistant: Assistant,
) -> None:
    answer = assistant.ask("How did Nottinghamshire end up getting £5m back from its broadband contract?")
    assert "£5m" in first_line(answer.text)


def test_a_two_part_question_about_a_case_answers_the_first_part_first(assistant: Assistant) -> None:
    answer = assistant.ask("What did Wigan change in how it works with residents, and did it save money?")
    assert "deal with residents" in first_line(answer.text)
    assert "£" in answer.text.split("\n\n")[1]  # then what it saved


def test_a_how_do_we_question_about_one_step_is_not_padded_with_the_guides_other_steps(
    assistant: Assistant,
) -> None:
    answer = assistant.ask(
        "we've had three phishing incidents this year. what should we actually be doing about staff awareness?"
    )
    assert "phishing" in first_line(answer.text).lower()
    assert "backup" not in answer.text.lower()  # a step for something else
    assert "nothing specific" not in answer.text  # the answer itself speaks of awareness


def test_a_question_about_one_of_a_councils_cases_is_not_padded_with_its_other_cases(
    assistant: Assistant,
) -> None:
    answer = assistant.ask("How much did Hackney's cyber attack cost?")
    assert "£" in first_line(answer.text)
    assert "apprentice" not in answer.text.lower() and "cohort" not in answer.text.lower()


def test_council_examples_open_with_what_the_case_says_happened(assistant: Assistant) -> None:
    answer = assistant.ask("Has any council brought its shared services back in-house?")
    assert "in-house" in first_line(answer.text)
    stopped = assistant.ask("Are there councils that have stopped using algorithms after problems?")
    assert re.search(r"dropped|did not renew", first_line(stopped.text))


def test_a_survey_of_councils_in_a_case_is_not_told_as_that_councils_example(assistant: Assistant) -> None:
    answer = assistant.ask("Which councils have trained their own staff as developers?")
    assert "Hackney" in first_line(answer.text)
    assert "County Councils Network" not in answer.text


def test_a_council_question_that_reads_as_far_from_everything_but_names_an_almanac_subject_is_answered(
    assistant: Assistant,
) -> None:
    answer = assistant.ask("Is it better to buy a chatbot or build one?")
    assert answer.status == "answered"
    assert "chatbot" in answer.text.lower()


def test_council_shorthand_finds_the_guides_answer(assistant: Assistant) -> None:
    answer = assistant.ask("quick one - can a cllr vote from zoom at full council in england or not?")
    assert "physically present" in first_line(answer.text)
    assert not any(line.rstrip().endswith(";") for line in answer.text.splitlines())


def test_how_did_a_named_council_do_it_opens_with_what_it_did(assistant: Assistant) -> None:
    answer = assistant.ask("How did Runnymede make its committee decisions easier to follow online?")
    assert "Modern.gov" in first_line(answer.text)
    kent = assistant.ask(
        "How does Kent link GP, hospital and social care records without analysts seeing who people are?"
    )
    points = [line for line in kent.text.splitlines() if line.startswith("- ")]
    assert len(points) == len(set(points))  # no point twice


def test_a_second_part_about_it_is_answered_from_what_the_first_answer_is_about(assistant: Assistant) -> None:
    answer = assistant.ask("Has any council employed a community connectivity manager, and was it worth it?")
    assert "South Hams" in first_line(answer.text)
    assert "webcast" not in answer.text.lower()  # another case's "worth it"


def test_a_comparison_of_two_glossary_terms_gives_each_terms_entry(assistant: Assistant) -> None:
    answer = assistant.ask("How is a DPIA different from an ATRS record?")
    paragraphs = answer.text.split("\n\n")
    assert paragraphs[0].startswith("**DPIA") and paragraphs[1].startswith("**ATRS")
    assert [c.doc_id for c in answer.citations] == ["framework-glossary", "framework-glossary"]
    # A guide's own answer to the very comparison is used instead.
    guide = assistant.ask("What's the difference between Cyber Essentials and the CAF?")
    assert guide.citations[0].section.endswith("What is the difference between Cyber Essentials and the CAF?")


def test_a_product_the_almanac_never_mentions_is_said_to_be_missing_first(assistant: Assistant) -> None:
    answer = assistant.ask(
        "Are any councils using Magic Notes for social work recording, and has anyone evaluated it?"
    )
    assert first_line(answer.text).startswith("The almanac has nothing specific on “Magic Notes”")


def test_a_named_councils_experience_told_in_a_guides_answer_answers_what_to_do_here(
    assistant: Assistant,
) -> None:
    # The council is named, and so is what to do here: the guide's answer tells both.
    answer = assistant.ask(
        "Leicester's stolen files ended up online. How did it choose who to warn, and what should our own "
        "plan say about that?"
    )
    assert answer.citations[0].doc_id == "outcome-security-and-resilience"
    assert "ICO" in first_line(answer.text) and "Leicester" in first_line(answer.text)
    # Asked about the named council alone, its own case still answers.
    alone = assistant.ask("How much did Hackney's cyber attack cost?")
    assert alone.citations[0].doc_id == "case-hackney-ransomware"


def test_a_list_from_a_guide_that_never_names_the_programme_asked_about_does_not_answer(
    assistant: Assistant,
) -> None:
    answer = assistant.ask(
        "Planning manager here, thinking about joining Open Digital Planning: what would we have to do first?"
    )
    # Not the local economy guide's first steps, which never name the programme: the programme's own case.
    assert answer.citations[0].doc_id == "case-open-digital-planning-ripa-bops"
    assert "Open Digital Planning" in answer.text.split("\n\n")[0]


def test_a_question_told_with_its_situation_first_gets_the_guides_answer(assistant: Assistant) -> None:
    answer = assistant.ask(
        "Our chief exec wants to know if the council should bother signing the Local Digital Declaration now "
        "there are no grants."
    )
    assert answer.citations[0].doc_id == "outcome-partnership"
    assert "Is the Local Digital Declaration still worth signing" in answer.citations[0].section
    assert "free" in first_line(answer.text)


def test_a_guides_answer_to_the_very_question_is_not_called_the_nearest_guidance(
    assistant: Assistant,
) -> None:
    answer = assistant.ask(
        "IG lead at a borough: someone sent a vague request for everything we hold and won't give ID. Can we "
        "stop the clock until they reply?"
    )
    assert "nearest" not in answer.text and "nothing specific" not in answer.text
    assert "stop the clock" in first_line(answer.text)


def test_a_second_part_after_an_if_clause_is_answered(assistant: Assistant) -> None:
    answer = assistant.ask(
        "Revenues lead. Is it lawful for software to approve discount changes with no officer involved since "
        "the DUAA, and if we keep someone in the loop, what counts as proper review rather than rubber stamping?"
    )
    assert any("meaningful human review" in c.section for c in answer.citations)
    assert "authority and time to change it" in answer.text


def test_an_acronym_the_guides_spell_out_finds_their_answer(assistant: Assistant) -> None:
    answer = assistant.ask("finance want a TCO for the new CRM before they'll sign it off. what goes in one?")
    assert "What is total cost of ownership" in answer.citations[0].section
    assert "nothing specific" not in answer.text


def test_a_question_that_asks_for_an_example_only_after_its_own_question_gets_the_guides_answer_first(
    assistant: Assistant,
) -> None:
    answer = assistant.ask(
        "Members want to put £150k into topping up gigabit vouchers for remote farms. Is that sensible, and "
        "have any councils done something like it?"
    )
    assert "top up national gigabit vouchers" in answer.citations[0].section
    assert first_line(answer.text).startswith("A top-up can work well")
    # Asked for councils first, it still gets councils.
    councils = assistant.ask("Which councils have topped up the national gigabit vouchers?")
    assert councils.citations[0].doc_id.startswith("case-")


def test_the_risks_of_following_a_named_council_come_from_its_lessons(assistant: Assistant) -> None:
    answer = assistant.ask(
        "What could go wrong if we signed a 20-year private deal for a citywide 5G network, as Sunderland did?"
    )
    assert answer.citations[0].doc_id == "case-sunderland-5g-smart-city"
    assert answer.citations[0].section == "What others can learn"


def test_a_figure_told_in_a_list_after_its_introduction_can_answer(assistant: Assistant) -> None:
    # Derby's first-phase saving is a list item that carries on "According to figures reported...:".
    answer = assistant.ask("Derby's AI assistants: what did the first phase actually save?")
    assert "£200,000" in answer.text


def test_a_guides_answer_leads_a_two_part_question_with_few_points_after_it(assistant: Assistant) -> None:
    answer = assistant.ask(
        "Upland ward members keep raising mobile not-spots. Is the Shared Rural Network still building masts, "
        "and can our planners speed things up?"
    )
    assert "Shared Rural Network" in answer.citations[0].section
    assert first_line(answer.text).startswith("The Shared Rural Network")
    assert len([line for line in answer.text.splitlines() if line.startswith("- ")]) <= 2


def test_a_named_councils_paragraph_stops_before_councils_in_general(assistant: Assistant) -> None:
    answer = assistant.ask("What did Bristol's digital transformation programme cost, and did it deliver?")
    assert "Bristol" in first_line(answer.text)
    assert "Audit Wales" not in answer.text


def test_a_council_listing_what_it_has_is_placed_and_what_it_lacks_holds_it_back(
    assistant: Assistant,
) -> None:
    answer = assistant.ask(
        "Org capability check: two apprentices in post, a staff skills survey run once last year, one agile "
        "team on a funded project, an interim generative AI policy. No DDaT workforce plan. Where would you "
        "put us, and what would Established need?"
    )
    assert first_line(answer.text).startswith("**Closest level: Developing.**")
    placed, _, rest = answer.text.partition("Holding you back")
    # The plan it says it lacks is not credited as "in draft"; it is what holds the council back.
    assert "workforce plan is in draft" not in placed
    assert "no workforce plan" in rest.split("To reach")[0]
    assert "To reach Established" in answer.text


def test_a_guides_answer_to_what_a_term_is_and_more_is_given_once(assistant: Assistant) -> None:
    charter = assistant.ask("What is the IT Reuse for Good charter and should we sign it?")
    # Its common question asks both things, so no other document's "worth signing?" answer is added.
    assert [c.doc_id for c in charter.citations] == ["outcome-inclusion"]
    demand = assistant.ask("What is failure demand, and how would we measure ours?")
    # The guide's answer says what it is and how to measure it; the glossary entry would say it twice.
    assert demand.citations[0].doc_id == "outcome-services"
    assert demand.text.count("contact caused by failing") == 1


def test_a_council_asking_which_level_it_is_gets_placed_whatever_its_words_suggest(
    assistant: Assistant,
) -> None:
    # Contact data and tracked fixes read like a measures question; "which level is that?" asks for a level.
    answer = assistant.ask(
        "Quick services check: we adopted a service standard but use it on only some new projects, one small "
        "team did user discovery on a few services, an accessibility audit's fixes are tracked, and we've "
        "analysed why people contact us. Which level is that?"
    )
    assert first_line(answer.text).startswith("**Closest level: Developing.**")
    assert answer.citations[0].section == "Self-assessment > Developing"


def test_only_words_that_ask_for_councils_make_a_question_ask_for_examples(assistant: Assistant) -> None:
    # Likeness alone read these as requests for council examples.
    assert assistant.ask("Is the Shared Rural Network still putting up new masts?").kind == "yes-no"
    assert assistant.ask("How did Hackney build up its digital team?").kind != "examples"
    for asks in (
        "Which councils have shared a digital team with a neighbour?",
        "Can you point me to a council that recovered from a cyber attack?",
    ):
        assert assistant.ask(asks).kind == "examples", asks


def test_an_aside_saying_what_a_council_lacks_does_not_cancel_what_it_has(assistant: Assistant) -> None:
    answer = assistant.ask(
        "We've got Cyber Essentials (not Plus yet) and MFA on remote access, ran a ransomware tabletop with "
        "the top team, but have never test-restored a backup. What level are we on security?"
    )
    assert first_line(answer.text).startswith("**Closest level: Developing.**")
    assert "Backups have never been test-restored" in answer.text.split("Holding you back")[-1]
