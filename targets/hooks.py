"""Questions and notifications that the layers above `targets` answer.

`targets` sits below `reports` and the roll-up and must not import them, yet a field's
meaning may not change once reports hold values for it, and publishing a programme must build
what the roll-up needs in its own transaction. The layers above register here when the apps are
ready (as they do on `reports.hooks`); the services call every listener.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import Field, Programme

ValuesListener = Callable[["Field"], bool]
PublishListener = Callable[["Programme"], object]

values_listeners: list[ValuesListener] = []
publish_listeners: list[PublishListener] = []


def values_listen(listener: ValuesListener) -> None:
    if listener not in values_listeners:
        values_listeners.append(listener)


def publish_listen(listener: PublishListener) -> None:
    if listener not in publish_listeners:
        publish_listeners.append(listener)


def field_has_values(field: Field) -> bool:
    """Whether some report holds a value for the field (asked of the reports layer)."""
    return any(listener(field) for listener in values_listeners)


def programme_published(programme: Programme) -> None:
    """In the publication's transaction, once the programme is saved as published."""
    for listener in publish_listeners:
        listener(programme)
