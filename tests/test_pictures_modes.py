"""Which mode pictures are drawn in: the config's choice, and for ``auto`` what the environment
says the terminal is; only terminals named as kitty or Ghostty are asked anything."""

from __future__ import annotations

import subprocess
import sys

from PIL import Image

from tui.ui.pictures import cells_for, half_blocks, resolve_mode

WEB = "textual.drivers.web_driver:WebDriver"


def test_explicit_modes_and_nonsense():
    assert resolve_mode("off", {"COLORTERM": "truecolor"}) == "off"
    assert resolve_mode("blocks", {}, terminal=True) == "blocks"
    assert resolve_mode("nonsense", {"COLORTERM": "truecolor"}) == "off"


def test_auto_without_a_graphics_terminal_is_half_blocks_with_truecolor_else_off():
    assert (
        resolve_mode("auto", {"COLORTERM": "truecolor", "TERM": "xterm-256color"}, terminal=True) == "blocks"
    )
    assert resolve_mode("auto", {"COLORTERM": "24bit"}, terminal=True) == "blocks"
    assert resolve_mode("auto", {"TERM": "xterm-256color"}, terminal=True) == "off"
    assert resolve_mode("auto", {"TERM": "vt100"}, terminal=False) == "off"
    assert resolve_mode("auto", {"TEXTUAL_DRIVER": WEB}) == "blocks"  # bladi-tui serve


def test_auto_asks_no_terminal_that_is_not_named_as_a_graphics_one():
    script = (
        "import sys\nfrom tui.ui.pictures import resolve_mode\n"
        "print(resolve_mode('auto', {'COLORTERM': 'truecolor', 'TERM': 'tmux-256color'}, terminal=True))\n"
        "print('textual_image' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.stdout.split() == ["blocks", "False"], done.stderr


def test_a_picture_fits_the_width_and_a_third_of_the_screen_keeping_its_shape():
    assert cells_for(1200, 800, 60, 13, (10, 20)) == (39, 13)  # height-bound
    assert cells_for(1200, 300, 60, 13, (10, 20)) == (60, 7)  # width-bound
    assert cells_for(100, 60, 60, 13, (10, 20)) == (10, 3)  # small pictures are not blown up


def test_half_blocks_put_the_upper_pixel_in_front_and_the_lower_behind():
    image = Image.new("RGB", (4, 4), (255, 0, 0))
    image.paste((0, 0, 255), (0, 2, 4, 4))
    [line] = half_blocks(image, 2, 1)
    assert [segment.text for segment in line] == ["▀", "▀"]
    style = line[0].style
    assert style.color.get_truecolor()[0] > 200 and style.bgcolor.get_truecolor()[2] > 200
