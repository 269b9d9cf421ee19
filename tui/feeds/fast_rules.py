"""feedparser 6.0's rules, as the fast road (:mod:`tui.feeds.fast`) reproduces them.

The tables say which element feedparser gives which meaning, which namespaces it knows under
which prefix, which markup makes it guess that RSS text is HTML, which URL schemes it keeps; the
functions repeat its handling of links, author names and repaired text. They are held to
feedparser's behaviour by the Article-level differential test over its own corpus
(``tests/feeds/test_differential.py``), not by reading its internals.
"""

from __future__ import annotations

import codecs
import html.entities
import re
import urllib.parse

from tui.sanitize import is_printable_text, is_simple_web_url


def _names(text: str) -> frozenset[str]:
    return frozenset(text.split())


# feedparser's table of known namespaces, keys lowercased as feedparser matches them.
NAMESPACES = {
    "": "",
    "http://backend.userland.com/rss": "",
    "http://blogs.law.harvard.edu/tech/rss": "",
    "http://purl.org/rss/1.0/": "",
    "http://my.netscape.com/rdf/simple/0.9/": "",
    "http://example.com/newformat#": "",
    "http://example.com/necho": "",
    "http://purl.org/echo/": "",
    "uri/of/echo/namespace#": "",
    "http://purl.org/pie/": "",
    "http://purl.org/atom/ns#": "",
    "http://www.w3.org/2005/atom": "",
    "http://purl.org/rss/1.0/modules/rss091#": "",
    "http://webns.net/mvcb/": "admin",
    "http://purl.org/rss/1.0/modules/aggregation/": "ag",
    "http://purl.org/rss/1.0/modules/annotate/": "annotate",
    "http://media.tangent.org/rss/1.0/": "audio",
    "http://backend.userland.com/blogchannelmodule": "blogChannel",
    "http://creativecommons.org/ns#license": "cc",
    "http://web.resource.org/cc/": "cc",
    "http://cyber.law.harvard.edu/rss/creativecommonsrssmodule.html": "creativeCommons",
    "http://backend.userland.com/creativecommonsrssmodule": "creativeCommons",
    "http://purl.org/rss/1.0/modules/company": "co",
    "http://purl.org/rss/1.0/modules/content/": "content",
    "http://my.theinfo.org/changed/1.0/rss/": "cp",
    "http://purl.org/dc/elements/1.1/": "dc",
    "http://purl.org/dc/terms/": "dcterms",
    "http://purl.org/rss/1.0/modules/email/": "email",
    "http://purl.org/rss/1.0/modules/event/": "ev",
    "http://rssnamespace.org/feedburner/ext/1.0": "feedburner",
    "http://freshmeat.net/rss/fm/": "fm",
    "http://xmlns.com/foaf/0.1/": "foaf",
    "http://www.w3.org/2003/01/geo/wgs84_pos#": "geo",
    "http://www.georss.org/georss": "georss",
    "http://www.opengis.net/gml": "gml",
    "http://postneo.com/icbm/": "icbm",
    "http://purl.org/rss/1.0/modules/image/": "image",
    "http://www.itunes.com/dtds/podcast-1.0.dtd": "itunes",
    "http://example.com/dtds/podcast-1.0.dtd": "itunes",
    "http://purl.org/rss/1.0/modules/link/": "l",
    "http://search.yahoo.com/mrss": "media",
    "http://search.yahoo.com/mrss/": "media",
    "http://madskills.com/public/xml/rss/module/pingback/": "pingback",
    "http://prismstandard.org/namespaces/1.2/basic/": "prism",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#": "rdf",
    "http://www.w3.org/2000/01/rdf-schema#": "rdfs",
    "http://purl.org/rss/1.0/modules/reference/": "ref",
    "http://purl.org/rss/1.0/modules/richequiv/": "reqv",
    "http://purl.org/rss/1.0/modules/search/": "search",
    "http://purl.org/rss/1.0/modules/slash/": "slash",
    "http://schemas.xmlsoap.org/soap/envelope/": "soap",
    "http://purl.org/rss/1.0/modules/servicestatus/": "ss",
    "http://hacks.benhammersley.com/rss/streaming/": "str",
    "http://purl.org/rss/1.0/modules/subscription/": "sub",
    "http://purl.org/rss/1.0/modules/syndication/": "sy",
    "http://schemas.pocketsoap.com/rss/mydescmodule/": "szf",
    "http://purl.org/rss/1.0/modules/taxonomy/": "taxo",
    "http://purl.org/rss/1.0/modules/threading/": "thr",
    "http://purl.org/rss/1.0/modules/textinput/": "ti",
    "http://madskills.com/public/xml/rss/module/trackback/": "trackback",
    "http://wellformedweb.org/commentapi/": "wfw",
    "http://purl.org/rss/1.0/modules/wiki/": "wiki",
    "http://www.w3.org/1999/xhtml": "xhtml",
    "http://www.w3.org/1999/xlink": "xlink",
    "http://www.w3.org/xml/1998/namespace": "xml",
    "http://podlove.org/simple-chapters": "psc",
}
ATOM = "http://www.w3.org/2005/Atom"
XML = "http://www.w3.org/XML/1998/namespace"
# Declaring these sets feedparser's version.
VERSION_NAMESPACES = ("http://my.netscape.com/rdf/simple/0.9/", "http://purl.org/rss/1.0/", ATOM.lower())

# Every element name (prefix_localname, lowercased) with a _start_ or _end_ handler in feedparser.
HANDLED = _names(
    "abstract author body category cc_license channel cloud content content_encoded contributor "
    "copyright created creativecommons_license dc_author dc_contributor dc_creator dc_date "
    "dc_description dc_language dc_publisher dc_rights dc_subject dc_title dcterms_created "
    "dcterms_issued dcterms_modified dcterms_valid description email enclosure entry expirationdate "
    "feed feedburner_browserfriendly fullitem generator geom georss_box georss_line georss_point "
    "georss_polygon georss_where georssgeom gml_exterior gml_linearring gml_linestring gml_point "
    "gml_polygon gml_pos gml_poslist guid height homepage id image info issued item itunes_author "
    "itunes_block itunes_category itunes_email itunes_explicit itunes_image itunes_keywords "
    "itunes_link itunes_name itunes_owner itunes_subtitle itunes_summary keywords language "
    "lastbuilddate link managingeditor media_category media_content media_credit media_description "
    "media_group media_keywords media_license media_player media_rating media_restriction "
    "media_thumbnail media_title modified name newlocation psc_chapter psc_chapters pubdate published "
    "rights rss source subtitle summary tagline tags textinput title updated uri url webmaster where "
    "width xhtml_body"
)

# The elements feedparser's sanitizer accepts (its HTML guess for RSS text).
HTML_ELEMENTS = _names(
    "a abbr acronym address area article aside audio b big blockquote br button canvas caption center "
    "cite code col colgroup command datagrid datalist dd del details dfn dialog dir div dl dt em "
    "event-source fieldset figcaption figure font footer form h1 h2 h3 h4 h5 h6 header hr i img input "
    "ins kbd keygen label legend li m map menu meter multicol nav nextid noscript ol optgroup option "
    "output p pre progress q s samp section select small sound source spacer span strike strong sub "
    "sup table tbody td textarea tfoot th thead time tr tt u ul var video"
)

# feedparser's cp1252 table: C1 characters read as the Windows-1252 characters of those bytes.
CP1252 = {
    128: "\u20ac",
    130: "\u201a",
    131: "\u0192",
    132: "\u201e",
    133: "\u2026",
    134: "\u2020",
    135: "\u2021",
    136: "\u02c6",
    137: "\u2030",
    138: "\u0160",
    139: "\u2039",
    140: "\u0152",
    142: "\u017d",
    145: "\u2018",
    146: "\u2019",
    147: "\u201c",
    148: "\u201d",
    149: "\u2022",
    150: "\u2013",
    151: "\u2014",
    152: "\u02dc",
    153: "\u2122",
    154: "\u0161",
    155: "\u203a",
    156: "\u0153",
    158: "\u017e",
    159: "\u0178",
}
_C1 = re.compile("[\x80-\x9f]")

# The URL schemes feedparser keeps.
ACCEPTABLE_URI_SCHEMES = _names(
    "file ftp gopher h323 hdl http https imap magnet mailto mms news nntp prospero rsync rtsp rtspu "
    "sftp shttp sip sips snews svn svn+ssh telnet wais aim callto cvs facetime feed git gtalk irc "
    "ircs irc6 itms mms msnim skype ssh smb svn ymsg"
)
_URI_FIXER = re.compile("^([A-Za-z][A-Za-z0-9+-.]*://)(/*)(.*?)")


def urljoin(base: str, uri: str) -> str:
    """A link joined to its base as feedparser joins them."""
    if is_simple_web_url(uri):
        return uri  # what both steps below give back for most links, without parsing them
    uri = _URI_FIXER.sub(r"\1\3", uri)
    try:
        return urllib.parse.urljoin(base, uri)
    except ValueError:
        return ""


def make_safe_absolute_uri(base: str, rel: str | None = None) -> str:
    """A link made absolute, or "" when feedparser would find its scheme unsafe."""
    if not base:
        return rel or ""
    if not rel:
        try:
            scheme = urllib.parse.urlparse(base)[0]
        except ValueError:
            return ""
        if not scheme or scheme in ACCEPTABLE_URI_SCHEMES:
            return base
        return ""
    uri = urljoin(base, rel)
    if uri.strip().split(":", 1)[0] not in ACCEPTABLE_URI_SCHEMES:
        return ""
    return uri


_CLOSE_TAG = re.compile(r"</(\w+)>")
_ENTITY_LIKE = re.compile(r"&#?\w+;")
_TAG_NAME = re.compile(r"</?(\w+)")
_ENTITY_NAME = re.compile(r"&(\w+);")


def looks_like_html(text: str) -> bool:
    """Whether feedparser would take RSS text for HTML."""
    if not (_CLOSE_TAG.search(text) or _ENTITY_LIKE.search(text)):
        return False
    if any(t for t in _TAG_NAME.findall(text) if t.lower() not in HTML_ELEMENTS):
        return False
    return all(e in html.entities.entitydefs for e in _ENTITY_NAME.findall(text) if e)


def map_content_type(content_type: str) -> str:
    content_type = content_type.lower()
    if content_type in ("text", "plain"):
        return "text/plain"
    if content_type == "html":
        return "text/html"
    if content_type == "xhtml":
        return "application/xhtml+xml"
    return content_type


HTML_TYPES = ("application/xhtml+xml", "text/html")
TEXT_TYPES = ("text/plain", "text/html")  # the content types read here; markup and base64 are not

EMAIL = re.compile(
    r"""(([a-zA-Z0-9\_\-\.\+]+)@((\[[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.)|(([a-zA-Z0-9\-]+\.)+))"""
    r"""([a-zA-Z]{2,4}|[0-9]{1,3})(\]?))(\?subject=\S+)?"""
)
ENTITY_IN_LINK = re.compile("&([A-Za-z0-9_]+);")


def repaired(text: str) -> str:
    """What every value feedparser's strict parser stores goes through: UTF-8 that was read as
    Latin-1 and encoded again is repaired, and C1 characters become their Windows-1252 ones."""
    # Not a search for what could change first: over a full text it costs more than an encode or
    # a decode that fails at the first character beyond Latin-1 or the first accent.
    if text.isascii():  # most values: nothing to repair, no C1 character
        return text
    # Its Latin-1 characters: the whole text but for typographic signs ("’", "œ"), other
    # scripts...; an encoder that skips the others keeps to C, where a strict one would fail.
    latin = text.encode("iso-8859-1", "ignore")
    if len(latin) == len(text):  # a Latin-1 text: maybe UTF-8 read as Latin-1
        # Each character UTF-8 writes beyond ASCII ends in a byte of 0x80-0xBF, and the C1
        # characters are among those: a Latin-1 text with none (a French one without "«", "°" or
        # no-break space) needs neither repair, which a deletion in C tells sooner than a decode
        # that fails (an exception) and the test of every character below.
        if len(latin.translate(None, _UTF_8_CONTINUATIONS)) == len(latin):
            return text
        try:
            decoded = latin.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            # C1 characters are controls: printable text holds none (a test in C, before the search).
            return (
                decoded
                if is_printable_text(decoded) or not _C1.search(decoded)
                else decoded.translate(CP1252)
            )
    # Not UTF-8 read as Latin-1: only its C1 characters change, and they are among its Latin-1
    # ones (a deletion in C, not a test of every character).
    return text if len(latin.translate(None, _C1_BYTES)) == len(latin) else text.translate(CP1252)


_UTF_8_CONTINUATIONS = bytes(range(0x80, 0xC0))
_C1_BYTES = bytes(range(0x80, 0xA0))


# The element names, by the meaning feedparser gives them.
TITLE = frozenset({"title", "dc_title"})
LINK = frozenset({"link"})
GUID = frozenset({"guid", "id"})
PUBLISHED = frozenset({"published", "issued", "pubdate", "dcterms_issued"})
UPDATED = frozenset({"updated", "modified", "lastbuilddate", "dc_date", "dcterms_modified"})
CATEGORY = frozenset({"category", "keywords", "dc_subject", "media_category"})
AUTHOR = frozenset({"author", "managingeditor", "dc_author", "dc_creator", "itunes_author"})
DESCRIPTION = frozenset({"description", "dc_description", "media_description"})  # text/html
SUMMARY = frozenset({"summary", "itunes_summary"})  # text/plain
CONTENT = {"content_encoded": "text/html", "fullitem": "text/html", "content": "text/plain"}
PERSON_PARTS = frozenset({"name", "email", "uri", "url", "homepage"})
# Handled elements whose handlers only touch keys no article is made of, and no state that
# matters here, when they hold no element (read from feedparser's handlers, one by one).
HARMLESS = _names(
    "enclosure media_content media_thumbnail media_credit media_rating media_restriction "
    "media_license media_player language dc_language rights copyright dc_rights generator cloud "
    "created dcterms_created expirationdate dcterms_valid itunes_image itunes_link itunes_block "
    "itunes_explicit subtitle tagline itunes_subtitle info feedburner_browserfriendly webmaster "
    "dc_publisher dc_contributor newlocation cc_license creativecommons_license width height name "
    "email uri url homepage"
)
# Keys (and feedparser's aliases of them) that articles are made of, or that handlers rely on:
# an element without a handler stores its text under its own name, which must not be one of these.
RESERVED = _names(
    "title title_detail link links id guid summary summary_detail description description_detail "
    "content author author_detail authors published issued published_parsed issued_parsed updated "
    "modified date updated_parsed modified_parsed date_parsed tags category image textinput "
    "contributors publisher publisher_detail publishers source entries items feed channel href url"
)


def add_tag(tags: list[dict], term: str | None, scheme: str | None, label: str | None) -> None:
    if not term and not scheme and not label:
        return
    value = {"term": term, "scheme": scheme, "label": label}
    if value not in tags:
        tags.append(value)


def save_author(context: dict, key: str, value: str) -> None:
    context.setdefault("author_detail", {})[key] = value
    sync_author_detail(context)
    context.setdefault("authors", [{}])[-1][key] = value


def sync_author_detail(context: dict) -> None:
    detail = context.get("authors", [{}])[-1]
    if detail:
        name, email = detail.get("name"), detail.get("email")
        if name and email:
            context["author"] = f"{name} ({email})"
        elif name:
            context["author"] = name
        elif email:
            context["author"] = email
        return
    author, email = context.get("author"), None
    if not author:
        return
    match = EMAIL.search(author) if "@" in author else None  # no address without its "@"
    if match:
        email = match.group(0)
        author = author.replace(email, "").replace("()", "").replace("<>", "").replace("&lt;&gt;", "").strip()
        if author and author[0] == "(":
            author = author[1:]
        if author and author[-1] == ")":
            author = author[:-1]
        author = author.strip()
    if author or email:
        context.setdefault("author_detail", detail)
    if author:
        detail["name"] = author
    if email:
        detail["email"] = email


_DECLARATION = re.compile(rb"<\?xml\s[^>]*?\?>")
_DECLARED_ENCODING = re.compile(rb"""encoding\s*=\s*["']([^"']*)["']""")
_DECLARED_VERSION = re.compile(rb"""version\s*=\s*["']([^"']*)["']""")
_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.I)
_UTF8 = ("utf-8", "utf8")


def utf8_body(data: bytes, charset: str) -> bytes | None:
    """The document without its UTF-8 byte order mark when feedparser would read it as UTF-8
    and it is valid UTF-8; None otherwise (feedparser's encoding rules then apply)."""
    if charset and charset.lower() not in _UTF8:
        return None
    body = data[3:] if data.startswith(codecs.BOM_UTF8) else data
    if body.startswith(b"<?xml"):
        declaration = _DECLARATION.match(body)
        if declaration is None:
            return None
        encoding = _DECLARED_ENCODING.search(declaration.group())
        version = _DECLARED_VERSION.search(declaration.group())
        if (encoding and encoding.group(1).lower().decode("latin-1") not in _UTF8) or (
            version is None or version.group(1) != b"1.0"
        ):
            return None
    elif not body.startswith(b"<"):
        return None  # a BOM of UTF-16/32, spaces before the declaration, not markup at all
    if _DTD.search(body, 0, 65536):
        return None
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return body
