"""The thread profiler's timeline as a PNG: a row per thread, a colour per state.

Written with zlib and struct alone (gilless depends on no plotting library):
an RGB image drawn into a bytearray, labelled with a 5x7 pixel font, and
written as one IDAT chunk of unfiltered scanlines.
"""

import struct
import zlib

WIDTH = 1000
LABEL = 150          # the thread names' column
ROW = 22
BAR = 14
TOP = 30
LEGEND = 44

WHITE, BLACK, GREY, LIGHT = (255, 255, 255), (30, 30, 30), (150, 150, 150), (235, 235, 235)
# Category -> colour (waits, from the events; the sampled states).
COLOURS = {
    "running": (76, 175, 80), "lock": (229, 57, 53), "condition": (251, 140, 0),
    "event": (251, 140, 0), "barrier": (251, 140, 0), "semaphore": (251, 140, 0),
    "future": (251, 140, 0), "queue get": (255, 193, 7), "queue put": (255, 193, 7),
    "queue join": (255, 193, 7), "idle worker": (255, 193, 7), "sleep": (66, 165, 245),
    "io": (126, 87, 194), "gil-or-host-lock": (121, 85, 72), "join": (189, 189, 189),
    "thread start": (189, 189, 189),
}
LEGEND_ENTRIES = (("running", "running"), ("lock", "lock"), ("condition", "condition/event"),
                  ("queue get", "queue"), ("sleep", "sleep"), ("io", "I/O"),
                  ("gil-or-host-lock", "GIL/host lock"), ("join", "join"))

# A 5x7 font: each glyph is seven rows of five bits.
_FONT = {
    "A": "01110 10001 10001 11111 10001 10001 10001",
    "B": "11110 10001 10001 11110 10001 10001 11110",
    "C": "01110 10001 10000 10000 10000 10001 01110",
    "D": "11110 10001 10001 10001 10001 10001 11110",
    "E": "11111 10000 10000 11110 10000 10000 11111",
    "F": "11111 10000 10000 11110 10000 10000 10000",
    "G": "01110 10001 10000 10111 10001 10001 01111",
    "H": "10001 10001 10001 11111 10001 10001 10001",
    "I": "01110 00100 00100 00100 00100 00100 01110",
    "J": "00111 00010 00010 00010 00010 10010 01100",
    "K": "10001 10010 10100 11000 10100 10010 10001",
    "L": "10000 10000 10000 10000 10000 10000 11111",
    "M": "10001 11011 10101 10101 10001 10001 10001",
    "N": "10001 10001 11001 10101 10011 10001 10001",
    "O": "01110 10001 10001 10001 10001 10001 01110",
    "P": "11110 10001 10001 11110 10000 10000 10000",
    "Q": "01110 10001 10001 10001 10101 10010 01101",
    "R": "11110 10001 10001 11110 10100 10010 10001",
    "S": "01111 10000 10000 01110 00001 00001 11110",
    "T": "11111 00100 00100 00100 00100 00100 00100",
    "U": "10001 10001 10001 10001 10001 10001 01110",
    "V": "10001 10001 10001 10001 10001 01010 00100",
    "W": "10001 10001 10001 10101 10101 10101 01010",
    "X": "10001 10001 01010 00100 01010 10001 10001",
    "Y": "10001 10001 01010 00100 00100 00100 00100",
    "Z": "11111 00001 00010 00100 01000 10000 11111",
    "0": "01110 10001 10011 10101 11001 10001 01110",
    "1": "00100 01100 00100 00100 00100 00100 01110",
    "2": "01110 10001 00001 00010 00100 01000 11111",
    "3": "11111 00010 00100 00010 00001 10001 01110",
    "4": "00010 00110 01010 10010 11111 00010 00010",
    "5": "11111 10000 11110 00001 00001 10001 01110",
    "6": "00110 01000 10000 11110 10001 10001 01110",
    "7": "11111 00001 00010 00100 01000 01000 01000",
    "8": "01110 10001 10001 01110 10001 10001 01110",
    "9": "01110 10001 10001 01111 00001 00010 01100",
    "-": "00000 00000 00000 11111 00000 00000 00000",
    ".": "00000 00000 00000 00000 00000 01100 01100",
    ":": "00000 01100 01100 00000 01100 01100 00000",
    "/": "00001 00010 00010 00100 01000 01000 10000",
    "(": "00010 00100 01000 01000 01000 00100 00010",
    ")": "01000 00100 00010 00010 00010 00100 01000",
    ",": "00000 00000 00000 00000 01100 00100 01000",
    "_": "00000 00000 00000 00000 00000 00000 11111",
    "?": "01110 10001 00001 00010 00100 00000 00100",
    " ": "00000 00000 00000 00000 00000 00000 00000",
}


class Canvas:
    def __init__(self, width, height):
        self.width = width
        self.height = height
        self.pixels = bytearray(bytes(WHITE) * (width * height))

    def rectangle(self, x0, y0, x1, y1, colour):
        x0, x1 = max(0, int(x0)), min(self.width, int(x1))
        y0, y1 = max(0, int(y0)), min(self.height, int(y1))
        if x1 <= x0 or y1 <= y0:
            return
        run = bytes(colour) * (x1 - x0)
        for y in range(y0, y1):
            start = (y * self.width + x0) * 3
            self.pixels[start:start + len(run)] = run

    def text(self, x, y, text, colour=BLACK):
        for character in text.upper():
            glyph = _FONT.get(character, _FONT["?"])
            for row, bits in enumerate(glyph.split()):
                for column, bit in enumerate(bits):
                    if bit == "1":
                        self.rectangle(x + column, y + row, x + column + 1, y + row + 1, colour)
            x += 6
        return x

    def png(self):
        raw = bytearray()
        stride = self.width * 3
        for y in range(self.height):
            raw.append(0)  # filter type 0: none
            raw += self.pixels[y * stride:(y + 1) * stride]
        return (b"\x89PNG\r\n\x1a\n"
                + _chunk(b"IHDR", struct.pack(">IIBBBBB", self.width, self.height, 8, 2, 0, 0, 0))
                + _chunk(b"IDAT", zlib.compress(bytes(raw), 9))
                + _chunk(b"IEND", b""))


def _chunk(kind, data):
    return (struct.pack(">I", len(data)) + kind + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))


def render(profile):
    """The timeline of `profile` as PNG bytes."""
    timeline = profile["timeline"]
    height = TOP + ROW * len(timeline) + LEGEND
    canvas = Canvas(WIDTH, height)
    wall = max(profile["wall_seconds"], 1e-9)
    span = WIDTH - LABEL - 10

    def x(seconds):
        return LABEL + seconds / wall * span

    canvas.text(8, 8, f"gilless threadprof: {wall:.2f} s, parallelism "
                      f"{profile['parallelism']:.2f} of {profile['cores']} cores")
    for tick in range(11):
        position = x(wall * tick / 10)
        canvas.rectangle(position, TOP - 4, position + 1, TOP + ROW * len(timeline), LIGHT)
    for row, thread in enumerate(timeline):
        top = TOP + row * ROW
        canvas.text(8, top + 4, thread["name"][:23])
        for begin, end, state, _ in thread["segments"]:
            canvas.rectangle(x(begin), top + 3, max(x(end), x(begin) + 1), top + 3 + BAR,
                             COLOURS.get(state, GREY))
    legend_top = TOP + ROW * len(timeline) + 12
    position = LABEL
    for category, label in LEGEND_ENTRIES:
        canvas.rectangle(position, legend_top, position + 10, legend_top + 8, COLOURS[category])
        position = canvas.text(position + 14, legend_top, label) + 12
    canvas.text(8, legend_top, f"0 - {wall:.2f} S")
    return canvas.png()


def write_timeline(profile, path):
    data = render(profile)
    with open(path, "wb") as f:
        f.write(data)
