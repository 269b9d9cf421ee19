"""The UI's own words, in French (the default) and English. Article content is never translated."""

from __future__ import annotations

# key -> (French, English); {name} are values given by the caller.
WORDS: dict[str, tuple[str, str]] = {
    "sidebar.title": ("Rubriques", "Topics"),
    "sidebar.sources": ("Sources", "Sources"),
    "sidebar.rubriques": ("Rubriques", "Sections"),
    "sidebar.tags": ("Sujets", "Tags"),
    "sidebar.more_tags": (
        "… et {count} autres (cherchez-les avec /)",
        "… and {count} more (find them with /)",
    ),
    "sidebar.more_rubriques": (
        "… et {count} autres (Ctrl+P les cherche)",
        "… and {count} more (Ctrl+P finds them)",
    ),
    "view.all": ("Tous", "All"),
    "view.unread": ("Non lus", "Unread"),
    "view.saved": ("Sauvegardés", "Saved"),
    "list.empty": ("Aucun article ici.", "No articles here."),
    "list.loading": ("Chargement des sources…", "Loading sources…"),
    "list.older_loading": ("Chargement des articles plus anciens…", "Loading older articles…"),
    "list.end": ("Fin de la liste", "End of the list"),
    "article.empty": ("Choisissez un article et appuyez sur Entrée.", "Pick an article and press Enter."),
    "article.cut": (
        "Article trop long : seul son début est gardé ({limit} caractères au plus).",
        "Article too long: only its beginning is kept (at most {limit} characters).",
    ),
    "key.quit": ("Quitter", "Quit"),
    "key.help": ("Aide", "Help"),
    "key.back": ("Retour", "Back"),
    "key.open": ("Ouvrir", "Open"),
    "key.next": ("Suivant", "Next"),
    "key.previous": ("Précédent", "Previous"),
    "key.next_unread": ("Non lu suivant", "Next unread"),
    "key.links": ("Liens", "Links"),
    "key.refresh": ("Actualiser", "Refresh"),
    "key.read": ("Lu/non lu", "Read/unread"),
    "key.save": ("Sauvegarder", "Save"),
    "key.copy": ("Copier le lien", "Copy link"),
    "key.open_link": ("Ouvrir le lien", "Open link"),
    "key.search": ("Chercher", "Search"),
    "key.sidebar": ("Panneau", "Sidebar"),
    "help.title": ("Aide — touches", "Help — keys"),
    "help.close": ("Échap ou ? pour fermer", "Escape or ? to close"),
    "help.everywhere": ("partout", "everywhere"),
    "help.reader": ("lecteur", "reader"),
    "help.list": ("liste", "list"),
    "help.article": ("article", "article"),
    "help.sidebar": ("panneau", "sidebar"),
    "help.find": ("recherche dans l'article", "find bar"),
    "links.title": ("Liens de l'article", "Links in this article"),
    "links.none": ("Cet article n'a pas de lien.", "This article has no links."),
    "links.topic": ("→ ses articles dans le lecteur", "→ its articles in the reader"),
    # A no-break space in French: never wrapped before ":".
    "picture.placeholder": ("[Image\u00a0: {alt}]", "[Image: {alt}]"),
    "picture.bare": ("[Image]", "[Image]"),
    "picture.reason.offline": (
        "Hors ligne : cette image n'est pas encore en cache",
        "Offline: this picture is not cached yet",
    ),
    "picture.reason.too_large": ("Image refusée : plus de 5 Mo", "Picture refused: larger than 5 MB"),
    "picture.reason.too_many_pixels": (
        "Image refusée : trop de pixels (bombe de décompression ?)",
        "Picture refused: too many pixels (a decompression bomb?)",
    ),
    "picture.reason.format": (
        "Image refusée : format non pris en charge (JPEG, PNG, GIF et WebP seulement)",
        "Picture refused: unsupported format (JPEG, PNG, GIF and WebP only)",
    ),
    "picture.reason.broken": (
        "Image illisible : fichier tronqué ou abîmé",
        "Unreadable picture: truncated or damaged file",
    ),
    "picture.reason.tiny": ("Image ignorée : un pixel de suivi", "Picture ignored: a tracking pixel"),
    "picture.reason.unreachable": ("Image inaccessible : {detail}", "Picture unreachable: {detail}"),
    "notice.copied": (
        "Lien copié dans le presse-papiers du terminal : {url}",
        "Link copied to the terminal's clipboard: {url}",
    ),
    "notice.not_available": (
        "Article introuvable dans le lecteur : {url}",
        "This article is not in the reader: {url}",
    ),
    "notice.refreshing": ("Actualisation : {done}/{total} sources", "Refreshing: {done}/{total} sources"),
    "notice.refreshed": (
        "{new} nouveaux articles ; {failed} source(s) en échec",
        "{new} new articles; {failed} source(s) failed",
    ),
    "notice.failed_source": ("{name} : {error}", "{name}: {error}"),
    "notice.listing_failed": (
        "Articles plus anciens indisponibles : {error}",
        "Older articles unavailable: {error}",
    ),
    "notice.failed_sources": (
        "{count} sources en échec ({names}) : voir les « ! » du panneau",
        '{count} sources failed ({names}): see the "!" in the sidebar',
    ),
    "reason.refused_by_site": (
        "le site refuse les lecteurs automatiques",
        "the site refuses automated readers",
    ),
    "sidebar.waiting_until": ("nouvel essai après {time}", "next try after {time}"),
    "notice.no_link": ("Cet article n'a pas d'adresse web.", "This article has no web address."),
    "notice.ssh_copy": (
        "Session distante : pas de navigateur ici, lien copié : {url}",
        "Remote session: no browser here, link copied: {url}",
    ),
    "notice.no_display_copy": (
        "Pas d'affichage graphique : pas de navigateur ici, lien copié : {url}",
        "No graphical display: no browser here, link copied: {url}",
    ),
    "notice.error": ("Erreur inattendue : {error}", "Unexpected error: {error}"),
    "cmd.refresh": ("Actualiser les sources", "Refresh the sources"),
    "cmd.refresh.help": ("Relire toutes les sources maintenant", "Read every source again now"),
    "cmd.search": ("Chercher", "Search"),
    "cmd.search.help": (
        "Chercher dans les titres, les textes, les sujets et les auteurs",
        "Search titles, texts, tags and authors",
    ),
    "cmd.mark_all_read": ("Tout marquer comme lu", "Mark all read"),
    "cmd.mark_all_read.help": (
        "Marquer lus tous les articles de la liste affichée",
        "Mark every article of the list shown read",
    ),
    "cmd.save": ("Sauvegarder / ne plus sauvegarder", "Save / unsave"),
    "cmd.save.help": ("L'article sélectionné", "The selected article"),
    "cmd.copy": ("Copier le lien", "Copy the link"),
    "cmd.copy.help": (
        "Dans le presse-papiers du terminal (fonctionne via SSH)",
        "To the terminal's clipboard (works over SSH)",
    ),
    "cmd.open": ("Ouvrir le lien dans le navigateur", "Open the link in a browser"),
    "cmd.open.help": (
        "Sur votre écran seulement ; via SSH le lien est copié",
        "On your own display only; over SSH the link is copied",
    ),
    "cmd.sidebar": ("Afficher / masquer le panneau", "Show / hide the sidebar"),
    "cmd.sidebar.help": ("Le panneau des rubriques et des sources", "The topics and sources panel"),
    "cmd.goto": ("Aller à : {topic}", "Go to: {topic}"),
    "cmd.goto.help": ("Afficher ces articles", "Show these articles"),
    "cmd.add_source": ("Ajouter une source", "Add a source"),
    "cmd.add_source.help": (
        "Un flux, un site ou un article (gardé dans state.toml)",
        "A feed, a site or an article (kept in state.toml)",
    ),
    "cmd.add_source.question": (
        "Adresse du flux, du site ou de l'article à ajouter :",
        "Address of the feed, site or article to add:",
    ),
    "cmd.disable_source": ("Désactiver la source : {name}", "Disable source: {name}"),
    "cmd.disable_source.help": (
        "Ne plus la lire (réversible dans state.toml)",
        "Stop reading it (reversible in state.toml)",
    ),
    "cmd.remove_source": ("Retirer la source : {name}", "Remove source: {name}"),
    "cmd.remove_source.help": ("La retirer de la liste (state.toml)", "Take it off the list (state.toml)"),
    "notice.bad_url": ("Ce n'est pas une adresse http(s) : {url}", "Not an http(s) address: {url}"),
    "find.placeholder": (
        "Trouver dans l'article — Entrée/↓ suivant, ↑ précédent, Échap fermer",
        "Find in the article — Enter/↓ next, ↑ previous, Escape closes",
    ),
    "find.count": ("Trouvé : {current}/{count}", "Found: {current}/{count}"),
    "find.none": ("Aucun résultat", "No match"),
    "notice.find_needs_article": (
        "Ouvrez un article pour chercher dedans ; / cherche dans tous les articles.",
        "Open an article to find in it; / searches every article.",
    ),
    "notice.fetch_running": (
        "Une actualisation (bladi-tui fetch) est en cours : lecture de ce qu'elle apporte.",
        "A 'bladi-tui fetch' is running: showing what it brings.",
    ),
    "cli.fetch_waiting": (
        "une actualisation est déjà en cours{who} : attente de sa fin ({seconds} s au plus).",
        "a refresh is already running{who}: waiting for it to end (at most {seconds} s).",
    ),
    "cli.fetch_busy": (
        "une actualisation est déjà en cours{who} : rien n'a été lu, réessayez quand elle sera finie.",
        "a refresh is already running{who}: nothing was read, try again once it is done.",
    ),
    "fault.disk_full": (
        "le disque est plein : rien ne peut plus être écrit dans {where} ; libérez de la place (ce qui était enregistré est intact).",
        "the disk is full: nothing more can be written in {where}; free some space (what was saved is intact).",
    ),
    "fault.read_only": (
        "le dossier de données {where} est en lecture seule : donnez-en un autre avec --data-dir.",
        "the data folder {where} is read-only: give another one with --data-dir.",
    ),
    "fault.locked": (
        "le stockage {where} est verrouillé par un autre programme : réessayez quand il aura fini.",
        "the store {where} is locked by another program: try again once it is done.",
    ),
    "fault.damaged": (
        "le stockage {where} est endommagé : mettez-le de côté et bladi-tui en commencera un nouveau : {command}",
        "the store {where} is damaged: move it aside and bladi-tui will start a new one: {command}",
    ),
    "state.offline": ("hors ligne", "offline"),
    "search.placeholder": (
        "Chercher (titre, texte, sujets, auteur) — Entrée pour valider, Échap pour annuler",
        "Search (title, text, tags, author) — Enter to search, Escape to cancel",
    ),
    "search.results": ("Recherche : {query}", "Search: {query}"),
    "source.ok": (
        "a répondu à la dernière actualisation, {count} article(s)",
        "answered at the last refresh, {count} article(s)",
    ),
    "source.never": ("pas encore lue, {count} article(s)", "not read yet, {count} article(s)"),
    # A failing source's status line (tui.ui.reasons.source_status).
    "source.failing": ("{name} : {why} — {details}", "{name}: {why} — {details}"),
    "source.last_success": ("dernière réussite {when}", "last success {when}"),
    "source.never_read": ("jamais lue", "never read yet"),
    "source.kept": ("{count} article(s) en cache", "{count} article(s) kept"),
    "help.sources": ("Sources", "Sources"),
    "cmd.sources": ("État des sources", "Sources' status"),
    "cmd.sources.help": (
        "Pourquoi une source échoue, depuis quand, ce qu'il en reste (aide, ?)",
        "Why a source fails, since when, what is kept of it (help, ?)",
    ),
    "notice.unknown_theme": (
        "Thème « {theme} » inconnu : {default} à la place (thèmes : {themes}).",
        "Theme {theme!r} is unknown; using {default} (themes: {themes}).",
    ),
    "notice.marked_read": (
        "{count} article(s) marqué(s) lu(s) — u pour annuler",
        "{count} article(s) marked read — u to undo",
    ),
    "notice.unmarked": ("{count} article(s) de nouveau non lu(s)", "{count} article(s) unread again"),
    "notice.nothing_to_undo": ("Rien à annuler", "Nothing to undo"),
    "notice.nothing_to_mark": ("Aucun article à marquer ici", "No articles to mark here"),
    "notice.all_read_already": ("Tout était déjà lu", "Everything was read already"),
    "confirm.remove_source": (
        "Retirer la source « {name} » ? Ses articles restent dans le stockage.",
        "Remove the source {name!r}? Its articles stay in the store.",
    ),
    "confirm.disable_source": ("Désactiver la source « {name} » ?", "Disable the source {name!r}?"),
    "confirm.keys": ("Entrée ou o : oui — Échap ou n : non", "Enter or y: yes — Escape or n: no"),
    "notice.list_empty": ("Aucun article dans cette liste", "No articles in this list"),
    "notice.no_next": (
        "Pas d'article suivant : c'est le dernier de la liste",
        "No next article: this is the last one in the list",
    ),
    "notice.no_previous": (
        "Pas d'article précédent : c'est le premier de la liste",
        "No previous article: this is the first one in the list",
    ),
    "notice.no_unread": ("Plus d'article non lu dans cette liste", "No unread article left in this list"),
    "notice.links_need_article": (
        "Ouvrez un article pour voir ses liens",
        "Open an article to see its links",
    ),
    "notice.offline_refresh": ("Hors ligne : rien à actualiser", "Offline: nothing to refresh"),
    "notice.offline_local_only": (
        "Hors ligne : seules les sources locales sont relues",
        "Offline: only local sources are read again",
    ),
    "notice.source_known": (
        "Cette source est déjà dans la liste : {url}",
        "This source is already in the list: {url}",
    ),
    "notice.added_offline": (
        "Source ajoutée ; hors ligne, elle sera lue à la prochaine actualisation : {url}",
        "Source added; offline, it will be read at the next refresh: {url}",
    ),
    "palette.placeholder": (
        "Chercher une commande, une rubrique, une source…",
        "Search for commands, sections, sources…",
    ),
    "palette.themes": ("Chercher un thème…", "Search for themes…"),
    "notice.no_room_sidebar": (
        "Pas de place pour le panneau à cette largeur : Échap revient à la liste.",
        "No room for the sidebar at this width: Escape goes back to the list.",
    ),
}


LANGUAGES = ("fr", "en")  # in the order of WORDS' pairs


class Translator:
    def __init__(self, language: str = "fr") -> None:
        self.language = language if language in LANGUAGES else "fr"
        self._index = LANGUAGES.index(self.language)

    def __call__(self, key: str, **values: object) -> str:
        words = WORDS.get(key)
        text = (words[self._index] or words[0]) if words else key
        return text.format(**values) if values else text


# Key hints in the footer and the help screen. The French ones are the bindings' own
# descriptions (in the code); English replaces them by binding id.
BINDING_LABELS_EN: dict[str, str] = {
    "app.quit": "Quit",
    "app.quit_ctrl_c": "Quit",
    "app.help": "Help",
    "app.refresh": "Refresh",
    "app.palette": "Commands",
    "reader.focus_next": "Next pane",
    "reader.focus_previous": "Previous pane",
    "reader.back": "Back",
    "reader.history_back": "Previous link",
    "reader.next": "Next",
    "reader.previous": "Previous",
    "reader.next_unread": "Next unread",
    "reader.links": "Links",
    "reader.search": "Search",
    "reader.toggle_read": "Read",
    "reader.mark_all_read": "All read",
    "reader.undo": "Undo all read",
    "reader.toggle_saved": "Save",
    "reader.copy_link": "Copy",
    "reader.open_link": "Browser",
    "reader.toggle_sidebar": "Sidebar",
    "reader.find": "Find",
    "list.down": "Down",
    "list.up": "Up",
    "list.first": "First",
    "list.last": "Last",
    "list.page_down": "Page down",
    "list.page_up": "Page up",
    "list.half_down": "Half page down",
    "list.half_up": "Half page up",
    "list.open": "Open",
    "article.down": "Down",
    "article.up": "Up",
    "article.top": "Top",
    "article.bottom": "Bottom",
    "article.page_down": "Page down",
    "article.page_up": "Page up",
    "article.half_down": "Half page",
    "article.half_up": "Half page",
    "sidebar.down": "Down",
    "sidebar.up": "Up",
    "sidebar.first": "First",
    "sidebar.last": "Last",
    "help.close": "Close",
    "links.close": "Back",
    "links.down": "Down",
    "links.up": "Up",
    "find.next": "Next match",
    "find.previous": "Previous match",
    "find.close": "Close",
}


# Textual's own words (its bindings' descriptions, its palette commands) in French, keyed by the
# English Textual writes. Textual has no translations of its own.
TEXTUAL_LABELS_FR: dict[str, str] = {
    "Quit": "Quitter",
    "Quit the app and return to the command prompt.": "Quitter et revenir à l'invite de commande.",
    "Focus Next": "Élément suivant",
    "Focus Previous": "Élément précédent",
    "Copy selected text": "Copier le texte sélectionné",
    "Scroll Up": "Monter",
    "Scroll Down": "Descendre",
    "Scroll Left": "Défiler à gauche",
    "Scroll Right": "Défiler à droite",
    "Scroll Home": "Début",
    "Scroll End": "Fin",
    "Page Up": "Page précédente",
    "Page Down": "Page suivante",
    "Page Left": "Page à gauche",
    "Page Right": "Page à droite",
    "Cursor to parent": "Aller au parent",
    "Cursor to next ancestor": "Aller à l'ancêtre suivant",
    "Cursor to previous sibling": "Élément frère précédent",
    "Cursor to next sibling": "Élément frère suivant",
    "Select": "Choisir",
    "Toggle": "Ouvrir / fermer",
    "Expand or collapse all": "Tout ouvrir / tout fermer",
    "Cursor Up": "Haut",
    "Cursor Down": "Bas",
    "Move cursor left": "Curseur à gauche",
    "Move cursor left and select": "Sélectionner à gauche",
    "Move cursor left a word": "Mot précédent",
    "Move cursor left a word and select": "Sélectionner le mot précédent",
    "Move cursor right or accept the completion suggestion": "Curseur à droite (ou accepter la suggestion)",
    "Move cursor right and select": "Sélectionner à droite",
    "Move cursor right a word": "Mot suivant",
    "Move cursor right a word and select": "Sélectionner le mot suivant",
    "Delete character left": "Effacer à gauche",
    "Select all": "Tout sélectionner",
    "Go to start": "Aller au début",
    "Go to end": "Aller à la fin",
    "Select line start": "Sélectionner jusqu'au début",
    "Select line end": "Sélectionner jusqu'à la fin",
    "Delete character right": "Effacer à droite",
    "Submit": "Valider",
    "Delete left to start of word": "Effacer le mot à gauche",
    "Delete all to the left": "Tout effacer à gauche",
    "Delete right to start of word": "Effacer le mot à droite",
    "Delete all to the right": "Tout effacer à droite",
    "Cut selected text": "Couper le texte sélectionné",
    "Paste text from the clipboard": "Coller le presse-papiers",
    "Down": "Bas",
    "Up": "Haut",
    "First": "Premier",
    "Last": "Dernier",
    "Go to bottom": "Aller en bas",
    "Go to top": "Aller en haut",
    "Next command": "Commande suivante",
    "Previous command": "Commande précédente",
    "Exit the command palette": "Fermer la palette",
    "Next page": "Page suivante",
    "Previous page": "Page précédente",
    # The palette's system commands (App.get_system_commands) and their help.
    "Theme": "Thème",
    "Change the current theme": "Changer le thème des couleurs",
    "Keys": "Touches",
    "Hide the keys and widget help panel": "Masquer le panneau des touches",
    "Show help for the focused widget and a summary of available keys": (
        "Afficher les touches disponibles et l'aide de l'élément actif"
    ),
    "Maximize": "Agrandir",
    "Maximize the focused widget": "Agrandir l'élément actif",
    "Minimize": "Réduire",
    "Minimize the widget and restore to normal size": "Rendre à l'élément sa taille",
    "Screenshot": "Capture d'écran",
    "Save an SVG 'screenshot' of the current screen": "Enregistrer l'écran en image SVG",
    "Quit the application as soon as possible": "Quitter l'application tout de suite",
}


def resolve_language(configured: str, environ: dict[str, str] | None = None) -> str:
    """The UI language: the config's ``language``, else the locale (French for ``fr_*``,
    English for any other language), else French."""
    import os

    if configured in LANGUAGES:
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
