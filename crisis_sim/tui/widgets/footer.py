"""The key bar under the game, rebuilt only when the keys it shows change."""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer


class SteadyFooter(Footer):
    """Textual's footer rebuilds all its keys whenever focus moves or a screen is pushed or popped,
    which costs a new layout of the game screen each time a dialog opens or closes. This one
    rebuilds them only when the keys it would show changed."""

    _shown_keys: tuple[tuple[object, ...], ...] | None = None

    def bindings_changed(self, screen: Screen) -> None:
        if screen.app.app_focus and self.is_attached and screen is self.screen:
            keys = tuple(
                (binding.key, binding.action, binding.description, enabled, tooltip)
                for _, binding, enabled, tooltip in screen.active_bindings.values()
                if binding.show
            )
            if keys == self._shown_keys:
                self._bindings_ready = True
                return
            self._shown_keys = keys
        super().bindings_changed(screen)
