"""What `stats` asks the database: each thing once, and the same reply as before."""

from __future__ import annotations

from bot.container import Container
from bot.messages import Reply
from handlers.console.chat import inbound
from tests.conftest import NOW, Say
from tests.indicators.conftest import row
from tests.sql_sent import statements as sql_statements


def _reading(statements: list[str], table: str) -> list[str]:
    return [s for s in statements if f"FROM {table}" in s or f"JOIN {table}" in s]


def test_stats_in_an_unbound_channel_reads_its_binding_once(container: Container, say: Say) -> None:
    say("cora", "community create design-thinking")
    say("ana", "idea Mentoring circles")
    with sql_statements(container.engine) as statements:
        reply = container.runner.handle(inbound("cora", "elsewhere", "stats all"), now=NOW)
    assert not reply.error, reply.text
    assert reply.table is not None
    assert len(_reading(statements, "channel_bindings")) == 1
    # still unbound: a channel that does not bind itself gets no community
    again = container.runner.handle(inbound("cora", "elsewhere", "stats"), now=NOW)
    assert again.table is not None and again.table.rows == reply.table.rows


def test_stats_for_a_named_community_reads_it_as_columns(container: Container, say: Say) -> None:
    say("cora", "community create design-thinking")
    say("ana", "idea Mentoring circles")

    def ask(line: str) -> Reply:
        return container.runner.handle(inbound("cora", "elsewhere", line), now=NOW)

    with sql_statements(container.engine) as statements:
        reply = ask("stats Design Thinking")
    assert reply.table is not None and not reply.error
    assert "design-thinking" in reply.text
    assert row(reply, "Ideas submitted")[1] == "1"
    assert [s for s in statements if s.startswith("SELECT communities.id, communities.name")]
    unknown = ask("stats atlantis")
    assert unknown.error
    assert 'No community called "atlantis". Communities: design-thinking.' in unknown.text
