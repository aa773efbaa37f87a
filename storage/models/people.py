"""People, their platform accounts, units, roles and skills."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.models.base import Base


class Person(Base):
    """One human, whatever platforms they use. ``forgotten_at`` marks a forget-me tombstone."""

    __tablename__ = "people"

    id: Mapped[int] = mapped_column(primary_key=True)
    display_name: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(320), index=True)
    timezone: Mapped[str | None] = mapped_column(String(64))
    language: Mapped[str | None] = mapped_column(String(8))  # their own choice: en, fr, es
    platform_locale: Mapped[str | None] = mapped_column(String(16))  # as Slack/Teams last said
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="SET NULL"))
    snoozed_until: Mapped[datetime | None]
    nudges_opt_out: Mapped[bool] = mapped_column(default=False)
    # The person's own settings (``settings``); None: the organisation's default hours and
    # days, the platform's time zone.
    working_hours: Mapped[str | None] = mapped_column(String(32))
    working_days: Mapped[str | None] = mapped_column(String(32))
    own_timezone: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime]
    forgotten_at: Mapped[datetime | None]

    accounts: Mapped[list[Account]] = relationship(back_populates="person")

    @property
    def label(self) -> str:
        if self.forgotten_at is not None:
            return "a former member"
        return self.display_name or f"person {self.id}"


class Account(Base):
    """A platform identity: (platform, workspace, user id) → person."""

    __tablename__ = "accounts"
    __table_args__ = (UniqueConstraint("platform", "workspace", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    platform: Mapped[str] = mapped_column(String(16))
    workspace: Mapped[str] = mapped_column(String(128))
    user_id: Mapped[str] = mapped_column(String(128))
    display_name: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime]

    person: Mapped[Person] = relationship(back_populates="accounts")


class Unit(Base):
    """A department (HQ), office or field region."""

    __tablename__ = "units"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    kind: Mapped[str] = mapped_column(String(16), default="department")  # department|office|region
    region: Mapped[str | None] = mapped_column(String(120))


class RoleGrant(Base):
    """A focal point for a community or a unit, or a coordinator (no scope)."""

    __tablename__ = "role_grants"
    __table_args__ = (
        Index("ix_role_grants_person_role", "person_id", "role"),
        UniqueConstraint(
            "person_id", "role", "community_id", "unit_id", name="uq_role_grants_scope"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(16))  # focal_point | coordinator
    community_id: Mapped[int | None] = mapped_column(
        ForeignKey("communities.id", ondelete="CASCADE"), index=True
    )
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"))
    granted_by: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    granted_at: Mapped[datetime]


class Skill(Base):
    __tablename__ = "skills"
    __table_args__ = (UniqueConstraint("person_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(80), index=True)
    created_at: Mapped[datetime]
