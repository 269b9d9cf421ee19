"""The UI's own words, in French (the default) and English. Article content is never translated."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    "fr": {
        "sidebar.title": "Rubriques",
        "sidebar.sources": "Sources",
        "sidebar.rubriques": "Rubriques",
        "sidebar.tags": "Sujets",
        "sidebar.more_tags": "… et {count} autres (cherchez-les avec /)",
        "view.all": "Tous",
        "view.unread": "Non lus",
        "view.saved": "Sauvegardés",
        "list.empty": "Aucun article ici.",
        "list.loading": "Chargement des sources…",
        "article.empty": "Choisissez un article et appuyez sur Entrée.",
        "key.quit": "Quitter",
        "key.help": "Aide",
        "key.back": "Retour",
        "key.open": "Ouvrir",
        "key.next": "Suivant",
        "key.previous": "Précédent",
        "key.next_unread": "Non lu suivant",
        "key.links": "Liens",
        "key.refresh": "Actualiser",
        "key.read": "Lu/non lu",
        "key.save": "Sauvegarder",
        "key.copy": "Copier le lien",
        "key.open_link": "Ouvrir le lien",
        "key.search": "Chercher",
        "key.sidebar": "Panneau",
        "help.title": "Aide — touches",
        "help.close": "Échap ou ? pour fermer",
        "help.everywhere": "partout",
        "help.reader": "lecteur",
        "help.list": "liste",
        "help.article": "article",
        "help.sidebar": "panneau",
        "links.title": "Liens de l'article",
        "links.none": "Cet article n'a pas de lien.",
        "notice.copied": "Lien copié dans le presse-papiers du terminal : {url}",
        "notice.not_available": "Article introuvable dans le lecteur : {url}",
        "notice.refreshing": "Actualisation : {done}/{total} sources",
        "notice.refreshed": "{new} nouveaux articles ; {failed} source(s) en échec",
        "notice.failed_source": "{name} : {error}",
        "notice.failed_sources": "{count} sources en échec ({names}) : voir les « ! » du panneau",
        "notice.no_link": "Cet article n'a pas d'adresse web.",
        "notice.ssh_copy": "Session distante : pas de navigateur ici, lien copié : {url}",
        "notice.error": "Erreur inattendue : {error}",
        "cmd.refresh": "Actualiser les sources",
        "cmd.refresh.help": "Relire toutes les sources maintenant",
        "cmd.search": "Chercher",
        "cmd.search.help": "Chercher dans les titres, les textes, les sujets et les auteurs",
        "cmd.mark_all_read": "Tout marquer comme lu",
        "cmd.mark_all_read.help": "Marquer lus tous les articles de la liste affichée",
        "cmd.save": "Sauvegarder / ne plus sauvegarder",
        "cmd.save.help": "L'article sélectionné",
        "cmd.copy": "Copier le lien",
        "cmd.copy.help": "Dans le presse-papiers du terminal (fonctionne via SSH)",
        "cmd.open": "Ouvrir le lien dans le navigateur",
        "cmd.open.help": "Sur votre écran seulement ; via SSH le lien est copié",
        "cmd.sidebar": "Afficher / masquer le panneau",
        "cmd.sidebar.help": "Le panneau des rubriques et des sources",
        "cmd.goto": "Aller à : {topic}",
        "cmd.goto.help": "Afficher ces articles",
        "cmd.add_source": "Ajouter une source",
        "cmd.add_source.help": "Un flux, un site ou un article (gardé dans state.toml)",
        "cmd.add_source.question": "Adresse du flux, du site ou de l'article à ajouter :",
        "cmd.disable_source": "Désactiver la source : {name}",
        "cmd.disable_source.help": "Ne plus la lire (réversible dans state.toml)",
        "cmd.remove_source": "Retirer la source : {name}",
        "cmd.remove_source.help": "La retirer de la liste (state.toml)",
        "notice.bad_url": "Ce n'est pas une adresse http(s) : {url}",
        "find.placeholder": "Trouver dans l'article — Entrée/↓ suivant, ↑ précédent, Échap fermer",
        "find.count": "{count} résultat(s) dans l'article",
        "notice.fetch_running": "Une actualisation (bladi-tui fetch) est en cours : lecture de ce qu'elle apporte.",
        "state.offline": "hors ligne",
        "search.placeholder": "Chercher (titre, texte, sujets, auteur) — Entrée pour valider, Échap pour annuler",
        "search.results": "Recherche : {query}",
    },
    "en": {
        "sidebar.title": "Topics",
        "sidebar.sources": "Sources",
        "sidebar.rubriques": "Sections",
        "sidebar.tags": "Tags",
        "sidebar.more_tags": "… and {count} more (find them with /)",
        "view.all": "All",
        "view.unread": "Unread",
        "view.saved": "Saved",
        "list.empty": "No articles here.",
        "list.loading": "Loading sources…",
        "article.empty": "Pick an article and press Enter.",
        "key.quit": "Quit",
        "key.help": "Help",
        "key.back": "Back",
        "key.open": "Open",
        "key.next": "Next",
        "key.previous": "Previous",
        "key.next_unread": "Next unread",
        "key.links": "Links",
        "key.refresh": "Refresh",
        "key.read": "Read/unread",
        "key.save": "Save",
        "key.copy": "Copy link",
        "key.open_link": "Open link",
        "key.search": "Search",
        "key.sidebar": "Sidebar",
        "help.title": "Help — keys",
        "help.close": "Escape or ? to close",
        "help.everywhere": "everywhere",
        "help.reader": "reader",
        "help.list": "list",
        "help.article": "article",
        "help.sidebar": "sidebar",
        "links.title": "Links in this article",
        "links.none": "This article has no links.",
        "notice.copied": "Link copied to the terminal's clipboard: {url}",
        "notice.not_available": "This article is not in the reader: {url}",
        "notice.refreshing": "Refreshing: {done}/{total} sources",
        "notice.refreshed": "{new} new articles; {failed} source(s) failed",
        "notice.failed_source": "{name}: {error}",
        "notice.failed_sources": "{count} sources failed ({names}): see the \"!\" in the sidebar",
        "notice.no_link": "This article has no web address.",
        "notice.ssh_copy": "Remote session: no browser here, link copied: {url}",
        "notice.error": "Unexpected error: {error}",
        "cmd.refresh": "Refresh the sources",
        "cmd.refresh.help": "Read every source again now",
        "cmd.search": "Search",
        "cmd.search.help": "Search titles, texts, tags and authors",
        "cmd.mark_all_read": "Mark all read",
        "cmd.mark_all_read.help": "Mark every article of the list shown read",
        "cmd.save": "Save / unsave",
        "cmd.save.help": "The selected article",
        "cmd.copy": "Copy the link",
        "cmd.copy.help": "To the terminal's clipboard (works over SSH)",
        "cmd.open": "Open the link in a browser",
        "cmd.open.help": "On your own display only; over SSH the link is copied",
        "cmd.sidebar": "Show / hide the sidebar",
        "cmd.sidebar.help": "The topics and sources panel",
        "cmd.goto": "Go to: {topic}",
        "cmd.goto.help": "Show these articles",
        "cmd.add_source": "Add a source",
        "cmd.add_source.help": "A feed, a site or an article (kept in state.toml)",
        "cmd.add_source.question": "Address of the feed, site or article to add:",
        "cmd.disable_source": "Disable source: {name}",
        "cmd.disable_source.help": "Stop reading it (reversible in state.toml)",
        "cmd.remove_source": "Remove source: {name}",
        "cmd.remove_source.help": "Take it off the list (state.toml)",
        "notice.bad_url": "Not an http(s) address: {url}",
        "find.placeholder": "Find in the article — Enter/↓ next, ↑ previous, Escape closes",
        "find.count": "{count} match(es) in the article",
        "notice.fetch_running": "A 'bladi-tui fetch' is running: showing what it brings.",
        "state.offline": "offline",
        "search.placeholder": "Search (title, text, tags, author) — Enter to search, Escape to cancel",
        "search.results": "Search: {query}",
    },
}


class Translator:
    def __init__(self, language: str = "fr") -> None:
        self.language = language if language in STRINGS else "fr"

    def __call__(self, key: str, **values: object) -> str:
        text = STRINGS[self.language].get(key) or STRINGS["fr"].get(key, key)
        return text.format(**values) if values else text


# Key hints in the footer and the help screen. The French ones are the bindings' own
# descriptions (in the code); English replaces them by binding id.
BINDING_LABELS_EN: dict[str, str] = {
    "app.quit": "Quit", "app.quit_ctrl_c": "Quit", "app.help": "Help", "app.refresh": "Refresh",
    "app.palette": "Commands",
    "reader.focus_next": "Next pane", "reader.focus_previous": "Previous pane", "reader.back": "Back",
    "reader.next": "Next", "reader.previous": "Previous", "reader.next_unread": "Next unread",
    "reader.links": "Links", "reader.search": "Search", "reader.toggle_read": "Read",
    "reader.mark_all_read": "All read", "reader.toggle_saved": "Save", "reader.copy_link": "Copy",
    "reader.open_link": "Browser", "reader.toggle_sidebar": "Sidebar", "reader.find": "Find",
    "list.down": "Down", "list.up": "Up", "list.first": "First", "list.last": "Last",
    "list.page_down": "Page down", "list.page_up": "Page up", "list.half_down": "Half page down",
    "list.half_up": "Half page up", "list.open": "Open",
    "article.down": "Down", "article.up": "Up", "article.top": "Top", "article.bottom": "Bottom",
    "article.page_down": "Page down", "article.page_up": "Page up", "article.half_down": "Half page",
    "article.half_up": "Half page",
    "sidebar.down": "Down", "sidebar.up": "Up", "sidebar.first": "First", "sidebar.last": "Last",
    "help.close": "Close", "links.close": "Back", "links.down": "Down", "links.up": "Up",
    "find.next": "Next match", "find.previous": "Previous match", "find.close": "Close",
}


def resolve_language(configured: str, environ: dict[str, str] | None = None) -> str:
    """The UI language: the config's ``language``, else the locale (French for ``fr_*``,
    English for any other language), else French."""
    import os

    if configured in STRINGS:
        return configured
    env = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = env.get(name, "").strip()
        if not value:
            continue
        code = value.split(":")[0].split(".")[0].split("_")[0].lower()
        if code in ("c", "posix", ""):
            return "fr"
        return "fr" if code == "fr" else "en"
    return "fr"
