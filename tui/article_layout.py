"""An article's Markdown cut into chunks the reader lays out one at a time, and its links.

Both come from one parse of the document (:func:`lay_out`): the chunks end between top-level
blocks (never inside a list or a quote), and a block too long to lay out within one frame is cut
into pieces of its own. A long document's parse is the reader's longest piece of work, so it runs
in a process of its own (:mod:`tui.layout_process`), which imports this module and no Textual;
meanwhile the reader shows :func:`beginning`, cut without parsing.
"""

from __future__ import annotations

from tui.article_markdown import DocumentLink, links_of, markdown_parser

# The first chunk is about a screenful of text in a narrow pane (the reader lays out as many
# chunks as fill the screen before the first frame, and no more); the next ones are small enough
# to lay out within one frame.
FIRST_CHUNK = 2000
NEXT_CHUNKS = 2500
#: Chunks of a long document's beginning shown while the whole is cut.
BEGINNING_CHUNKS = 8
#: A block longer than this (one paragraph of megabytes) is cut into pieces of about this size,
#: and no chunk is longer unless one block is: short enough to lay out between two keys (the
#: reader lays out a chunk at a time, and a key waits for the chunk being laid out).
LONGEST_BLOCK = 6_000


def lay_out(document: str) -> tuple[list[DocumentLink], list[str]]:
    """The document's followable links (as :func:`tui.article_markdown.links_of` finds them) and
    its chunks (the document cut between top-level blocks, a block too long to lay out within
    one frame cut into :func:`pieces`), from a single parse."""
    if not document:
        return [], []
    tokens = markdown_parser().parse(document)
    if len(document) <= FIRST_CHUNK * 2:
        return links_of(tokens), [document]
    lines = document.split("\n")
    blocks = [
        "\n".join(lines[token.map[0] : token.map[1]])
        for token in tokens
        if token.level == 0 and token.map and token.nesting != -1
    ]
    return links_of(tokens), _chunks_of(blocks)


def _chunks_of(blocks: list[str]) -> list[str]:
    found: list[str] = []
    current: list[str] = []
    size = 0
    for whole in blocks:
        for block in pieces(whole):
            if current and size + len(block) > LONGEST_BLOCK:
                found.append("\n\n".join(current))
                current, size = [], 0
            current.append(block)
            size += len(block)
            if size >= (FIRST_CHUNK if not found else NEXT_CHUNKS):
                found.append("\n\n".join(current))
                current, size = [], 0
    if current:
        found.append("\n\n".join(current))
    return found


def pieces(block: str) -> list[str]:
    """A block of at most :data:`LONGEST_BLOCK` characters as it is; a longer one cut at line
    ends, else at spaces (a code block's pieces each keep its fence). Its formatting may break
    where it is cut: only a block no article needs (hundreds of kilobytes in one) is."""
    if len(block) <= LONGEST_BLOCK:
        return [block]
    fence = ""
    header: list[str] = []
    lines = block.split("\n")
    if lines[0].lstrip().startswith(("```", "~~~")) and len(lines) > 2:
        fence = lines[0].strip()[:3]
        lines = lines[1:-1] if lines[-1].strip().startswith(fence) else lines[1:]
    elif lines[0].lstrip().startswith("|") and len(lines) > 2 and set(lines[1].strip()) <= set("|-: "):
        header, lines = lines[:2], lines[2:]  # a table: each piece keeps its header
    found: list[str] = []
    current: list[str] = []
    size = 0
    for line in lines:
        while len(line) > LONGEST_BLOCK:  # one line of megabytes: cut at a space
            cut = line.rfind(" ", 0, LONGEST_BLOCK)
            cut = cut if cut > LONGEST_BLOCK // 2 else LONGEST_BLOCK
            if current:
                found.append("\n".join(current))
                current, size = [], 0
            found.append(line[:cut])
            line = line[cut:].lstrip(" ")
        if size + len(line) > LONGEST_BLOCK and current:
            found.append("\n".join(current))
            current, size = [], 0
        current.append(line)
        size += len(line) + 1
    if current:
        found.append("\n".join(current))
    if fence:
        found = [f"{fence}\n{piece}\n{fence}" for piece in found]
    elif header:
        found = ["\n".join([*header, piece]) for piece in found]
    return found


def beginning(document: str) -> list[str]:
    """What a long document shows while it is laid out: its first few chunks, each ended at a
    line (else a space); a code fence open where one is cut is closed there and opened again in
    the next, so a few screens can be read (and scrolled) before the whole is cut into blocks."""
    found: list[str] = []
    start, fence_open = 0, False
    while start < len(document) and len(found) < BEGINNING_CHUNKS:
        end = document.find("\n\n", start + FIRST_CHUNK, start + 2 * FIRST_CHUNK)
        if end < 0:
            end = document.rfind(" ", start + FIRST_CHUNK, start + 2 * FIRST_CHUNK)
        if end < 0:
            end = min(len(document), start + 2 * FIRST_CHUNK)
        text = document[start:end]
        piece = "```\n" + text if fence_open else text
        if sum(1 for line in text.split("\n") if line.lstrip().startswith(("```", "~~~"))) % 2:
            fence_open = not fence_open
        found.append(piece + "\n```" if fence_open else piece)
        start = end
    return found
