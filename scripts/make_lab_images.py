#!/usr/bin/env python3
"""Writes the lab site's two images, deterministically (standard library only).

    make_lab_images.py OUT_DIR

OUT_DIR/background.png  a 256x192 RGB PNG: a soft diagonal gradient with
                        low-amplitude noise, so that it does not compress
                        to nothing (a few tens of KB, like a real photo-ish
                        background).
OUT_DIR/Myhead.ppm      a 200x200 binary PPM logo (a ringed disc with an
                        "M" on a gradient, lightly noisy) for cjpeg to turn
                        into Myhead.jpg.

The noise comes from a fixed xorshift32 stream, so the pixels are the same
on every run and machine. PNG compression uses zlib level 9 (byte-stable
for a given zlib; the committed files are the reference anyway).
"""
import struct
import sys
import zlib
from pathlib import Path


class XorShift32:
    def __init__(self, seed):
        self.state = seed & 0xFFFFFFFF or 1

    def next(self):
        x = self.state
        x ^= (x << 13) & 0xFFFFFFFF
        x ^= x >> 17
        x ^= (x << 5) & 0xFFFFFFFF
        self.state = x
        return x

    def noise(self, amplitude):
        """An integer in [-amplitude, amplitude]."""
        return self.next() % (2 * amplitude + 1) - amplitude


def clamp(v):
    return 0 if v < 0 else 255 if v > 255 else v


def png_chunk(kind, data):
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


def write_png(path, width, height, rows):
    raw = b"".join(b"\x00" + bytes(row) for row in rows)  # filter type 0 (None) on every row
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB, no interlace
    data = b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr) + png_chunk(b"IDAT", zlib.compress(raw, 9))
    data += png_chunk(b"IEND", b"")
    path.write_bytes(data)


def background(width=256, height=192):
    rng = XorShift32(0x6C616221)  # "lab!"
    rows = []
    for y in range(height):
        row = []
        for x in range(width):
            t = (x + y) * 255 // (width + height - 2)
            base = (200 + t // 5, 220 - t // 6, 235 - t // 4)
            n = rng.noise(2)  # one grain per pixel, the same on R, G and B
            row.extend(clamp(c + n) for c in base)
        rows.append(row)
    return width, height, rows


def in_letter_m(x, y, cx, cy):
    """A block "M" about 70x60 pixels centred on (cx, cy)."""
    dx, dy = x - cx, y - cy
    if not (-35 <= dx <= 35 and -30 <= dy <= 30):
        return False
    if abs(dx) >= 25:  # the two legs
        return True
    # the two diagonals meeting in the middle, 10 pixels thick
    return dy <= 10 and abs(abs(dx) - (10 - dy) * 25 // 40) <= 5


def logo(size=200):
    rng = XorShift32(0x4D6F6F73)  # "Moos"
    c = size // 2
    rows = []
    for y in range(size):
        row = []
        for x in range(size):
            d2 = (x - c) ** 2 + (y - c) ** 2
            if in_letter_m(x, y, c, c):
                rgb = (250, 250, 245)
            elif d2 <= 80 ** 2:
                ring = (int(d2 ** 0.5) // 8) % 2
                rgb = (40 + ring * 30, 90 + y // 4, 160 + ring * 40)
            else:
                rgb = (230 - y // 3, 200 - x // 4, 120 + (x + y) // 8)
            n = rng.noise(16)
            row.extend(clamp(v + n) for v in rgb)
        rows.append(row)
    return size, size, rows


def write_ppm(path, width, height, rows):
    path.write_bytes(b"P6\n%d %d\n255\n" % (width, height) + b"".join(bytes(r) for r in rows))


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: make_lab_images.py OUT_DIR")
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    write_png(out / "background.png", *background())
    write_ppm(out / "Myhead.ppm", *logo())


if __name__ == "__main__":
    main()
