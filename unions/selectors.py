"""Reads of the hierarchy as of a date. Each returns in one query, whatever the tree's size."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from .models import GRASSROOTS_KINDS, Unit, UnitClosure, UnitLink, active_on_q, vi_sort_key


def unit_descendants(unit: Unit, on: dt.date, *, include_self: bool = False) -> list[Unit]:
    """Units below `unit` on `on`, nearest first."""
    rows = UnitClosure.objects.filter(active_on_q(on), ancestor=unit)
    if not include_self:
        rows = rows.filter(depth__gt=0)
    return [
        r.descendant
        for r in rows.select_related("descendant").order_by("depth", "descendant__code")
    ]


def unit_descendant_ids(unit_id: int, on: dt.date, *, include_self: bool = True) -> set[int]:
    rows = UnitClosure.objects.filter(active_on_q(on), ancestor_id=unit_id)
    if not include_self:
        rows = rows.filter(depth__gt=0)
    return set(rows.values_list("descendant_id", flat=True))


def unit_children(unit: Unit, on: dt.date) -> list[Unit]:
    links = UnitLink.objects.filter(active_on_q(on), parent=unit).select_related("child")
    return sorted((link.child for link in links), key=lambda u: (u.kind, vi_sort_key(u.name)))


class UnitBrief(NamedTuple):
    """A unit as a list of links needs it: no model instance per row."""

    code: str
    name: str
    kind: str

    @property
    def is_grassroots(self) -> bool:
        return self.kind in GRASSROOTS_KINDS


def briefs(rows: Iterable[tuple[str, str, str]]) -> list[UnitBrief]:
    """(code, name, kind) rows as briefs, in the order of `unit_children`: kind, then name."""
    return sorted((UnitBrief(*row) for row in rows), key=lambda u: (u.kind, vi_sort_key(u.name)))


def unit_children_brief(unit: Unit, on: dt.date) -> list[UnitBrief]:
    """`unit_children` for a list of links: code, name and kind only."""
    links = UnitLink.objects.filter(active_on_q(on), parent=unit)
    return briefs(links.values_list("child__code", "child__name", "child__kind"))


def unit_ancestors(unit: Unit, on: dt.date) -> list[Unit]:
    """From the root down to the unit's parent on `on`."""
    rows = UnitClosure.objects.filter(active_on_q(on), descendant=unit, depth__gt=0)
    return [r.ancestor for r in rows.select_related("ancestor").order_by("-depth")]


def unit_parent_on(unit: Unit, on: dt.date) -> Unit | None:
    link = UnitLink.objects.filter(active_on_q(on), child=unit).select_related("parent").first()
    return link.parent if link else None


def unit_ever_below(ancestor_id: int) -> set[int]:
    """Every unit that was ever in the subtree of `ancestor_id`, itself included."""
    return set(
        UnitClosure.objects.filter(ancestor_id=ancestor_id).values_list("descendant_id", flat=True)
    )


@dataclass
class TreeNode:
    unit: Unit
    children: list[TreeNode] = field(default_factory=list)
    grassroots_count: int = 0

    @property
    def child_count(self) -> int:
        return len(self.children)


def unit_tree(on: dt.date, root: Unit | None = None) -> list[TreeNode]:
    """The tree as it stood on `on` (roots first), from one query of the day's links.

    With `root`, only that unit's subtree. Each node counts the CĐCS below it.
    """
    units = {u.pk: u for u in Unit.objects.active_on(on)}
    nodes = {pk: TreeNode(u) for pk, u in units.items()}
    has_parent: set[int] = set()
    for child_id, parent_id in UnitLink.objects.filter(active_on_q(on)).values_list(
        "child_id", "parent_id"
    ):
        if child_id in nodes and parent_id in nodes:
            nodes[parent_id].children.append(nodes[child_id])
            has_parent.add(child_id)
    for node in nodes.values():
        node.children.sort(key=lambda n: (n.unit.is_grassroots, vi_sort_key(n.unit.name)))
    roots = [nodes[root.pk]] if root is not None and root.pk in nodes else []
    if root is None:
        roots = sorted(
            (n for pk, n in nodes.items() if pk not in has_parent), key=lambda n: n.unit.code
        )
    for r in roots:
        _count_grassroots(r)
    return roots


def _count_grassroots(node: TreeNode) -> int:
    node.grassroots_count = sum(_count_grassroots(c) for c in node.children)
    node.grassroots_count += sum(1 for c in node.children if c.unit.is_grassroots)
    return node.grassroots_count


@dataclass(frozen=True)
class HistoryRow:
    parent: Unit
    valid_from: dt.date
    valid_to: dt.date | None


def unit_history(unit: Unit) -> list[HistoryRow]:
    links = UnitLink.objects.filter(child=unit).select_related("parent").order_by("valid_from")
    return [HistoryRow(link.parent, link.valid_from, link.valid_to) for link in links]
