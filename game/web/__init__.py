"""Web adapters: the dispatcher's console page (game.web.dispatch)."""
