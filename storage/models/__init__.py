"""Every table of the store. Import from here."""

from storage.models.activity import (
    Attendance,
    Event,
    Feedback,
    PulseQuestion,
    PulseResponse,
    TimeLog,
)
from storage.models.base import Base, UTCDateTime
from storage.models.communities import ChannelBinding, Community, Membership, Participation
from storage.models.holds import HeldCapture, PendingFile
from storage.models.ideas import Idea, StageChange, Vote
from storage.models.imports import ImportCandidate, ImportedCount
from storage.models.inbox import InboxEntry
from storage.models.knowledge import KnowledgeDoc, Theme
from storage.models.ops import (
    ConversationRef,
    IndicatorSnapshot,
    IndicatorTarget,
    OutboxMessage,
    ProcessedEvent,
    SchedulerLease,
)
from storage.models.participation_days import ParticipationDay
from storage.models.people import Account, Person, RoleGrant, Skill, Unit
from storage.models.requests import CreditedHelper, HelpOffer, HelpRequest

__all__ = [
    "Account",
    "Attendance",
    "Base",
    "ChannelBinding",
    "Community",
    "ConversationRef",
    "CreditedHelper",
    "Event",
    "Feedback",
    "HeldCapture",
    "HelpOffer",
    "HelpRequest",
    "Idea",
    "ImportCandidate",
    "ImportedCount",
    "InboxEntry",
    "IndicatorSnapshot",
    "IndicatorTarget",
    "KnowledgeDoc",
    "Membership",
    "OutboxMessage",
    "Participation",
    "ParticipationDay",
    "PendingFile",
    "Person",
    "ProcessedEvent",
    "PulseQuestion",
    "PulseResponse",
    "RoleGrant",
    "SchedulerLease",
    "Skill",
    "StageChange",
    "Theme",
    "TimeLog",
    "UTCDateTime",
    "Unit",
    "Vote",
]
