"""The feed pipeline: RSS, Atom and JSON Feed documents to sanitized articles.

``parse.parse_feed`` is the one entry. ``sniff`` tells what a document is; one road reads it into
``entry.FeedEntry`` items: ``jsonfeed`` (JSON Feed), ``fast`` (well-formed RSS 2.0 and Atom 1.0 in
UTF-8, with feedparser's rules in ``fast_rules``) or ``tolerant`` (feedparser, for anything else);
``normalise`` (with ``spip`` and ``text``) makes every road's entries into articles. ``storing``
parses a document and stores its articles in one go, what ``pool``'s worker processes run during a
large refresh.
"""
