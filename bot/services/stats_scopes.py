"""Which indicators a caller may see: the scope asked for (the channel's community, a named
community, a unit, a region or the whole organisation) resolved and checked, and every scope
offered to a caller for an export or the dashboard. Coordinators see every scope; focal
points the communities (and whole units) they look after; members none."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.errors import InvalidInput, NotAllowed, NotFound
from bot.i18n import _
from bot.indicators import Scope
from bot.indicators.export import all_scopes
from bot.services.access import Caller, focal_community_ids
from bot.services.places import community_named
from storage.models import Community, Unit

STATS_USAGE = "stats [community|unit|all|<name>|unit:<name>|region:<name>] [period]"


def resolve_scope(session: Session, caller: Caller, text: str | None) -> Scope:
    """The scope asked for, if the caller may see it."""
    raw = (text or "").strip()
    lowered = raw.lower()
    if lowered in ("all", "org", "organisation", "organization") or (
        not raw and caller.community is None and caller.coordinator
    ):
        if not caller.coordinator:
            raise NotAllowed(_("Only coordinators can see the whole organisation's indicators."))
        return Scope.org()
    if lowered.startswith("region:"):
        if not caller.coordinator:
            raise NotAllowed(_("Only coordinators can see a region's indicators."))
        return _region_scope(session, raw[len("region:") :].strip())
    if lowered == "unit" or lowered.startswith("unit:"):
        return _unit_scope(session, caller, raw[5:].strip() if ":" in raw else None)
    if lowered.startswith("community:"):
        raw = raw[len("community:") :].strip()
        lowered = raw.lower()
    if not raw or lowered == "community":
        if caller.community is None:
            raise InvalidInput(
                _("This channel is not bound to a community: name one, or use `stats all`."),
                usage=STATS_USAGE,
            )
        community_id, name = caller.community.id, caller.community.name
    else:
        community_id, name = community_named(session, raw)
    _require_sees(session, caller, community_id)
    return Scope.community(community_id, name)


def _region_scope(session: Session, name: str) -> Scope:
    regions = [
        r for r in session.scalars(select(Unit.region).distinct().order_by(Unit.region)) if r
    ]
    if not name:
        raise InvalidInput(
            _("Name the region, e.g. region:{value}.").format(
                value=regions[0] if regions else "Africa"
            )
        )
    match = next((r for r in regions if r.lower() == name.lower()), None)
    if match is None:
        known = ", ".join(regions) if regions else "none yet (units carry their region)"
        raise NotFound(
            _('No region called "{name}". Regions: {known}.').format(name=name, known=known)
        )
    return Scope.region(match)


def _unit_scope(session: Session, caller: Caller, name: str | None) -> Scope:
    if name:
        unit = session.scalar(select(Unit).where(Unit.name == name))
        if unit is None:
            raise NotFound(_('No unit called "{name}".').format(name=name))
    else:
        unit_id = caller.community.unit_id if caller.community else caller.person.unit_id
        unit = session.get(Unit, unit_id) if unit_id else None
        if unit is None:
            raise InvalidInput(
                _(
                    "This community has no unit. Set one with `community "
                    "settings unit=<name>` or name it: `stats unit:<name>`."
                )
            )
    if not caller.coordinator:
        mine = focal_community_ids(session, caller.person.id)
        theirs = set(session.scalars(select(Community.id).where(Community.unit_id == unit.id)))
        if not theirs or not theirs <= mine:
            raise NotAllowed(
                _("Only the unit's focal points and coordinators can see {name}.").format(
                    name=unit.name
                )
            )
    return Scope.unit(unit.id, unit.name)


def _require_sees(session: Session, caller: Caller, community_id: int) -> None:
    if caller.coordinator or community_id in focal_community_ids(session, caller.person.id):
        return
    raise NotAllowed(
        _(
            "Indicators are for focal points and coordinators. Ask your "
            "community's focal point, or see your own data with "
            "`my-data`."
        )
    )


def visible_scopes(session: Session, caller: Caller) -> list[Scope]:
    """Every scope for a coordinator; a focal point's communities and whole units; else none."""
    if caller.coordinator:
        return all_scopes(session)
    mine = focal_community_ids(session, caller.person.id)
    if not mine:
        raise NotAllowed(
            _("Exports are for focal points and coordinators. See your own data with `my-data`.")
        )
    communities = session.scalars(
        select(Community).where(Community.id.in_(mine)).order_by(Community.name)
    ).all()
    scopes = [Scope.community(c.id, c.name) for c in communities]
    unit_ids = {c.unit_id for c in communities if c.unit_id is not None}
    for unit in session.scalars(select(Unit).where(Unit.id.in_(unit_ids)).order_by(Unit.name)):
        theirs = set(session.scalars(select(Community.id).where(Community.unit_id == unit.id)))
        if theirs <= mine:
            scopes.append(Scope.unit(unit.id, unit.name))
    return scopes
