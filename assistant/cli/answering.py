"""`almanac ask` and `almanac chat`: answers on the terminal."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from assistant.cli.base import console, err_console, fail
from assistant.config import get_settings
from assistant.errors import AlmanacError


def ask(
    question: Annotated[str, typer.Argument(help="Your question, in plain words.")],
    outcome: Annotated[str | None, typer.Option(help="Only use documents for this outcome slug.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the answer as JSON.")] = False,
) -> None:
    """Answer one question from the almanac."""
    import json

    from assistant.rag import Assistant

    settings = get_settings()
    try:
        answer = Assistant.from_settings(settings).ask(question, outcome=outcome)
    except (AlmanacError, ValueError) as exc:
        raise fail(str(exc)) from None
    except KeyError as exc:
        raise fail(str(exc.args[0])) from None
    if as_json:
        print(json.dumps(answer.to_dict(), indent=2, ensure_ascii=False))
    else:
        print_answer(answer)


def print_answer(answer) -> None:  # type: ignore[no-untyped-def]
    """Rich Markdown on a terminal, plain Markdown otherwise."""
    if sys.stdout.isatty():
        from rich.markdown import Markdown

        console.print(Markdown(answer.markdown()))
    else:
        print(answer.markdown())


def chat() -> None:
    """An interactive conversation; follow-up questions use what came before. Ctrl-D or 'exit' ends it."""
    from assistant.answer import Turn
    from assistant.rag import Assistant

    settings = get_settings()
    try:
        assistant = Assistant.from_settings(settings)
        assistant.warm_up()
    except AlmanacError as exc:
        raise fail(str(exc)) from None
    history: list[Turn] = []
    print("Ask the almanac a question (type 'new' to start again, 'exit' to leave).")
    while True:
        try:
            question = input("\n> ").strip()
        except (EOFError, KeyboardInterrupt):
            print()
            return
        if question.lower() in {"exit", "quit"}:
            return
        if question.lower() in {"new", "reset"}:
            history.clear()
            print("Started a new conversation.")
            continue
        if not question:
            continue
        try:
            answer = assistant.ask(question, history=history)
        except (AlmanacError, ValueError) as exc:
            err_console.print(f"[red]{exc}[/]")
            continue
        print_answer(answer)
        history.append(Turn(question=question, answer=answer.text))
