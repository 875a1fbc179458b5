"""The branch graph of a scenario as a tree: posts by minute, branches with conditions and effects, endings.

Every label is a :class:`rich.text.Text` built from scenario text, never a
markup string, so a ``[red]`` in a trainer's post shows as typed.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Tree
from textual.widgets.tree import TreeNode

from ...authoring.graph import Outline, outline
from ...engine import Scenario

STYLES = {"section": "bold", "branch": "bold cyan", "decision": "bold magenta", "option": "magenta", "ending": "bold green", "post": "yellow"}


def _label(item: Outline) -> Text:
    return Text(item.label, style=STYLES.get(item.kind, ""))


def _add(node: TreeNode, item: Outline) -> None:
    if not item.children:
        node.add_leaf(_label(item))
        return
    child = node.add(_label(item), expand=item.kind in ("section", "decision"))
    for grandchild in item.children:
        _add(child, grandchild)


class GraphScreen(Screen[None]):
    """The scenario's branch tree; Enter folds and unfolds, Escape goes back."""

    BINDINGS = [
        Binding("escape,q", "close", "Back", key_display="esc"),
        Binding("e", "expand_all", "Expand all"),
        Binding("c", "collapse_all", "Collapse all"),
    ]

    def __init__(self, scenario: Scenario) -> None:
        super().__init__()
        self.scenario = scenario

    def compose(self) -> ComposeResult:
        tree_outline = outline(self.scenario)
        tree: Tree[None] = Tree(_label(tree_outline), id="branch-tree")
        tree.root.expand()
        for item in tree_outline.children:
            _add(tree.root, item)
        yield tree
        yield Footer()

    def action_close(self) -> None:
        self.dismiss()

    def action_expand_all(self) -> None:
        self.query_one(Tree).root.expand_all()

    def action_collapse_all(self) -> None:
        tree = self.query_one(Tree)
        for child in tree.root.children:
            child.collapse_all()


class GraphApp(App[None]):
    """``crisis-sim graph SCENARIO --tui``: only the graph screen; leaving it quits."""

    TITLE = "crisis-sim graph"
    ENABLE_COMMAND_PALETTE = False

    def __init__(self, scenario: Scenario) -> None:
        super().__init__()
        self.scenario = scenario

    def on_mount(self) -> None:
        self.push_screen(GraphScreen(self.scenario), callback=lambda _: self.exit())
