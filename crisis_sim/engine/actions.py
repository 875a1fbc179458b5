"""The player's vocabulary in one table: every action, what it targets, what it carries.

The session, the scorer, the key bindings and the dialogs all read an action's row
here instead of keeping their own sets and if-chains. Adding a plain action means
adding an :class:`Action` member, one :class:`ActionSpec` row and a crowd-reaction
weight in ``rules.yaml``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Category(StrEnum):
    """What a score is about."""

    SPEED = "speed"
    EMPATHY = "empathy"
    HONESTY = "honesty"


CATEGORIES: tuple[Category, ...] = tuple(Category)


class Channel(StrEnum):
    """Where a conversation is taken offline."""

    DM = "dm"
    EMAIL = "email"
    PHONE = "phone"

    @property
    def label(self) -> str:
        """How the log and debrief name it: ``by DM``."""
        return CHANNEL_LABELS[self][0]

    @property
    def choice_label(self) -> str:
        """How a dialog offers it."""
        return CHANNEL_LABELS[self][1]


class Role(StrEnum):
    """Who a post can be escalated to: the escalation chain."""

    LEGAL = "legal"
    PR_LEAD = "pr_lead"
    CEO = "ceo"

    @property
    def label(self) -> str:
        """How the log and debrief name it: ``to the PR lead``."""
        return ROLE_LABELS[self][0]

    @property
    def choice_label(self) -> str:
        """How a dialog offers it."""
        return ROLE_LABELS[self][1]


CHANNEL_LABELS = {Channel.DM: ("DM", "Direct message (DM)"), Channel.EMAIL: ("email", "Email"), Channel.PHONE: ("phone", "Phone call")}
ROLE_LABELS = {Role.LEGAL: ("Legal", "Legal"), Role.PR_LEAD: ("the PR lead", "PR lead"), Role.CEO: ("the CEO", "CEO")}


class Target(StrEnum):
    """Who an action is addressed to."""

    POST = "post"  # one selected post
    EVERYONE = "everyone"  # a broadcast
    EITHER = "either"  # the selected post, or everyone if the player says so
    NONE = "none"  # nothing in the feed: an answer to a decision put to the player


class TextUse(StrEnum):
    """Whether an action carries words."""

    NONE = "none"
    OPTIONAL = "optional"
    REQUIRED = "required"


class Choice(StrEnum):
    """The extra choice an action asks for."""

    NONE = "none"
    CHANNEL = "channel"
    ROLE = "role"
    OPTION = "option"  # one option of a scenario's decision

    @property
    def missing(self) -> str:
        """What the player is told when the choice was not made."""
        return {
            Choice.CHANNEL: "Choose how to take it offline: DM, email or phone.",
            Choice.ROLE: "Choose who to escalate to: legal, PR lead or CEO.",
            Choice.OPTION: "Choose one of the decision's options.",
            Choice.NONE: "",
        }[self]


class PostEffect(StrEnum):
    """What an action does to the post it targets."""

    ANSWER = "answer"  # the person has been answered (publicly or offline)
    ESCALATE = "escalate"
    IGNORE = "ignore"
    HIDE = "hide"
    NONE = "none"


class Action(StrEnum):
    """What the player can do. Each member has one :class:`ActionSpec` row in :data:`ACTIONS`."""

    REPLY = "reply"
    APOLOGY = "apology"
    OFFLINE = "offline"
    STATUS_UPDATE = "status_update"
    HOLD_STATEMENT = "hold_statement"
    ESCALATE = "escalate"
    IGNORE = "ignore"
    HIDE = "hide"
    DECIDE = "decide"

    @property
    def spec(self) -> ActionSpec:
        return ACTIONS[self]

    @property
    def label(self) -> str:
        return ACTIONS[self].label

    @property
    def is_broadcast(self) -> bool:
        """Posted to everyone rather than to one person."""
        return ACTIONS[self].target is Target.EVERYONE

    @property
    def is_public_text(self) -> bool:
        """The action publishes words the crowd can read."""
        return ACTIONS[self].public

    @property
    def speaks_to_person(self) -> bool:
        """The action answers one person directly: a conversation, not a broadcast."""
        return ACTIONS[self].personal


@dataclass(frozen=True)
class ActionSpec:
    """One row of the action table."""

    action: Action
    key: str  # Textual key name(s) that trigger it in the game, comma-separated
    verb: str  # short name for the footer
    label: str  # how the log and the debrief name it
    help: str  # one line for the key help and tooltips
    target: Target
    text: TextUse
    choice: Choice = Choice.NONE
    public: bool = False  # its words are published for the crowd to read
    personal: bool = False  # it answers one person directly
    effect: PostEffect = PostEffect.NONE
    log: str = "You posted a {label} to {target}."  # the incident log line; see Session for the fields
    dialog_title: str = ""  # "{handle}" is filled in; empty for actions sent at once

    @property
    def needs_post(self) -> bool:
        return self.target is Target.POST

    @property
    def takes_text(self) -> bool:
        return self.text is not TextUse.NONE


ACTIONS: dict[Action, ActionSpec] = {
    spec.action: spec
    for spec in (
        ActionSpec(
            Action.REPLY, "r", "Reply", "reply", "Reply publicly to the selected post (Enter too)",
            Target.POST, TextUse.REQUIRED, public=True, personal=True, effect=PostEffect.ANSWER,
            dialog_title="Reply to {handle}",
        ),
        ActionSpec(
            Action.APOLOGY, "a", "Apologise", "public apology", "Public apology: under the selected post or to everyone",
            Target.EITHER, TextUse.REQUIRED, public=True, personal=True, effect=PostEffect.ANSWER,
            dialog_title="Public apology to {handle}",
        ),
        ActionSpec(
            Action.OFFLINE, "o", "Offline", "offline note", "Take the selected conversation offline: DM, email, phone",
            Target.POST, TextUse.OPTIONAL, Choice.CHANNEL, public=True, personal=True, effect=PostEffect.ANSWER,
            log="You took {target} offline by {channel}{note}.", dialog_title="Take {handle} offline",
        ),
        ActionSpec(
            Action.STATUS_UPDATE, "u", "Status", "status update", "Status update to everyone",
            Target.EVERYONE, TextUse.REQUIRED, public=True, dialog_title="Status update to everyone",
        ),
        ActionSpec(
            Action.HOLD_STATEMENT, "h", "Hold", "holding statement", "Holding statement to everyone (pre-approved, editable)",
            Target.EVERYONE, TextUse.OPTIONAL, public=True,
            dialog_title="Holding statement to everyone (edit it if you like)",
        ),
        ActionSpec(
            Action.ESCALATE, "e", "Escalate", "escalation", "Escalate the selected post: Legal, PR lead or CEO",
            Target.POST, TextUse.NONE, Choice.ROLE, effect=PostEffect.ESCALATE,
            log="You escalated {target}'s post to {role}.", dialog_title="Escalate {handle}'s post",
        ),
        ActionSpec(
            Action.IGNORE, "i", "Ignore", "no response", "Ignore the selected post", Target.POST, TextUse.NONE,
            effect=PostEffect.IGNORE, log="You ignored {target}.",
        ),
        ActionSpec(
            Action.HIDE, "d", "Hide", "hide", "Hide / delete the selected post", Target.POST, TextUse.NONE,
            effect=PostEffect.HIDE, log="You hid {target}'s post.",
        ),
        ActionSpec(
            Action.DECIDE, "c", "Decide", "decision", "Answer the decision put to you (it opens by itself; c reopens it)",
            Target.NONE, TextUse.NONE, Choice.OPTION, log="You decided: {option}.",
        ),
    )
}  # fmt: skip


@dataclass(frozen=True)
class Command:
    """One thing the player asks the game to do: what the dialogs build and the session applies."""

    action: Action
    post_id: str | None = None
    text: str = ""
    channel: Channel | None = None
    role: Role | None = None
    decision: str | None = None  # the id of the scenario decision a DECIDE answers
    choice: str | None = None  # the id of the option chosen

    def to_dict(self) -> dict[str, str]:
        """A JSON-ready form that leaves out what is not set."""
        data = {"action": self.action.value, "post": self.post_id, "text": self.text}
        data |= {"channel": self.channel and self.channel.value, "role": self.role and self.role.value}
        data |= {"decision": self.decision, "choice": self.choice}
        return {key: value for key, value in data.items() if value}

    @classmethod
    def from_dict(cls, data: dict[str, str]) -> Command:
        """Read a command written by :meth:`to_dict`; ``ValueError`` names what is wrong."""
        return cls(
            Action(data["action"]),
            data.get("post"),
            data.get("text", ""),
            Channel(data["channel"]) if data.get("channel") else None,
            Role(data["role"]) if data.get("role") else None,
            data.get("decision"),
            data.get("choice"),
        )
