#!/usr/bin/env python3
"""Awkward but legal inputs: which ones Postmottak reads, which it refuses and why, with
each file's time and peak memory. One command:

    python3 tests/bench/awkward.py [--out build/bench-awkward]

Run after the README set-up. It makes each file (Python's standard library for PNG,
TIFF and PDF structure; a G4 page from the project's own sample generator for the CCITT
and JBIG2 PDFs, whose MMR coding is G4; ImageMagick and cjpeg, installed here if
missing, for progressive and CMYK JPEG), takes each in alone with `postmottak intake`
into a fresh store, and records the outcome (journaled pages, rendered, text from the
text layer, quarantined and why), wall time and the peak resident memory of the intake
process (the renderer runs in its own process, bounded to 1 GiB of address space).
Results go to results.json and results.md under --out.
"""

import argparse
import json
import os
import shutil
import struct
import subprocess
import sys
import time
import zlib

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def log(msg):
    print(f"[awkward] {msg}", file=sys.stderr, flush=True)


def ensure(packages):
    missing = [p for p in packages
               if subprocess.run(["dpkg", "-s", p], capture_output=True).returncode != 0]
    if missing:
        log("installing " + " ".join(missing))
        subprocess.run(["apt-get", "install", "-y", "-qq", *missing], check=True,
                       stdout=subprocess.DEVNULL)


# ---- PNG -------------------------------------------------------------------------

def png(path, w, h, bits, colour, pixel):
    """colour: 0 gray, 4 gray+alpha, 2 RGB, 6 RGBA; pixel(x, y) -> tuple of samples."""
    raw = bytearray()
    fmt = ">" + ("H" if bits == 16 else "B") * {0: 1, 4: 2, 2: 3, 6: 4}[colour]
    for y in range(h):
        raw.append(0)
        for x in range(w):
            raw += struct.pack(fmt, *pixel(x, y))

    def chunk(tag, data):
        c = struct.pack(">I", len(data)) + tag + data
        return c + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n")
        f.write(chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, bits, colour, 0, 0, 0)))
        f.write(chunk(b"pHYs", struct.pack(">IIB", 11811, 11811, 1)))  # 300 dpi
        f.write(chunk(b"IDAT", zlib.compress(bytes(raw), 6)))
        f.write(chunk(b"IEND", b""))


def text_mask(w, h):
    """Text-like bands of ink: every 40th row band, broken into words."""
    def ink(x, y):
        return (y // 20) % 3 == 1 and (x // 35) % 4 != 3 and 150 < x < w - 150 and 150 < y < h - 150
    return ink


# ---- TIFF (uncompressed, one strip) --------------------------------------------

def tiff(path, w, h, bits, samples, photometric, data, extra=()):
    entries = [(256, 4, 1, w), (257, 4, 1, h), (258, 3, samples, bits), (259, 3, 1, 1),
               (262, 3, 1, photometric), (273, 4, 1, 0), (277, 3, 1, samples),
               (278, 4, 1, h), (279, 4, 1, len(data)), (282, 5, 1, 0), (283, 5, 1, 0),
               (296, 3, 1, 2)] + list(extra)
    entries.sort()
    ifd_size = 2 + 12 * len(entries) + 4
    extra_at = 8 + ifd_size
    blob = bytearray()
    out_entries = []
    for tag, typ, count, value in entries:
        if tag in (282, 283):
            out_entries.append((tag, typ, count, extra_at + len(blob)))
            blob += struct.pack("<II", 300, 1)
        elif typ == 3 and count > 2:
            out_entries.append((tag, typ, count, extra_at + len(blob)))
            blob += struct.pack("<" + "H" * count, *([value] * count))
        else:
            out_entries.append((tag, typ, count, value))
    data_at = extra_at + len(blob)
    with open(path, "wb") as f:
        f.write(b"II*\x00" + struct.pack("<I", 8) + struct.pack("<H", len(out_entries)))
        for tag, typ, count, value in out_entries:
            if tag == 273:
                value = data_at
            if typ == 3 and count <= 2:
                vals = [value] * count + [0] * (2 - count)
                f.write(struct.pack("<HHIHH", tag, typ, count, *vals))
            else:
                f.write(struct.pack("<HHII", tag, typ, count, value))
        f.write(struct.pack("<I", 0))
        f.write(blob)
        f.write(data)


# ---- PDF -----------------------------------------------------------------------

def pdf(path, pages):
    """pages: list of (content bytes, image dict str or None, image data bytes, (w_pt, h_pt))."""
    objs = []

    def add(body):
        objs.append(body)
        return len(objs)
    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    kids = []
    pages_id = add(None)  # filled in once the kids are known
    for content, image_dict, image_data, size in pages:
        xo = b""
        if image_dict:
            img = add(b"<< /Type /XObject /Subtype /Image " + image_dict.encode() +
                      b" /Length %d >>\nstream\n" % len(image_data) + image_data + b"\nendstream")
            xo = b" /XObject << /Im1 %d 0 R >>" % img
        c = add(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
        kids.append(add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %.2f %.2f] /Contents %d 0 R "
                        b"/Resources << /Font << /F1 %d 0 R >>%s >> >>"
                        % (pages_id, size[0], size[1], c, font, xo)))
    objs[pages_id - 1] = (b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % k for k in kids) +
                          b"] /Count %d >>" % len(kids))
    catalog = add(b"<< /Type /Catalog /Pages %d 0 R >>" % pages_id)
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for o in offsets:
        out += b"%010d 00000 n \n" % o
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, catalog, xref)
    with open(path, "wb") as f:
        f.write(out)


A4 = (595.28, 841.89)
FULL_PAGE = b"q 595.28 0 0 841.89 0 0 cm /Im1 Do Q"


def letter_content(title, lines, person=""):
    c = b"0 0 0.5 RG 1.5 w 60 745 m 535 745 l S 0.9 g 60 600 475 60 re f 0 g\nBT /F1 22 Tf 60 760 Td (" + title + b") Tj ET\n"
    y = 720
    for line in ([b"Fodselsnummer: " + person.encode()] if person else []) + lines:
        c += b"BT /F1 11 Tf 60 %d Td (" % y + line + b") Tj ET\n"
        y -= 16
    return c


def g4_of_sample(cli_samples, work):
    """One G4 strip from a page the sample generator made (bitonal, 300 dpi), with its size."""
    d = os.path.join(work, "samples")
    shutil.rmtree(d, ignore_errors=True)
    shutil.rmtree(os.path.join(work, "samples-store"), ignore_errors=True)
    subprocess.run([cli_samples, "--out", d, "--db", os.path.join(work, "samples-store"),
                    "--pages", "4", "--seed", "3"], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    scans = sorted(os.listdir(os.path.join(d, "scans")))
    path = os.path.join(d, "scans", [s for s in scans if s.endswith(".tif")][0])
    b = open(path, "rb").read()
    ifd = struct.unpack_from("<I", b, 4)[0]
    n = struct.unpack_from("<H", b, ifd)[0]
    tags = {}
    for i in range(n):
        tag, typ, count, value = struct.unpack_from("<HHII", b, ifd + 2 + 12 * i)
        if typ == 3:
            value &= 0xFFFF
        tags[tag] = (count, value)
    assert tags[259][1] == 4 and tags[273][0] == 1, "expected one G4 strip"
    w, h = tags[256][1], tags[257][1]
    off, size = tags[273][1], tags[279][1]
    return w, h, b[off:off + size]


def jbig2_mmr(w, h, g4):
    seg = lambda num, typ, data: struct.pack(">IBBBI", num, typ, 0, 1, len(data)) + data
    page_info = struct.pack(">IIIIBH", w, h, 0, 0, 1, 0)
    region = struct.pack(">IIIIBB", w, h, 0, 0, 0, 1)
    return seg(0, 48, page_info) + seg(1, 38, region + g4)


def make_files(out, samples_tool):
    files = {}
    W, H = 2480, 3508
    ink = text_mask(W, H)
    log("making the files")
    w, h, g4 = g4_of_sample(samples_tool, out)
    files["ccitt-g4.pdf"] = "scanned PDF, CCITT G4 (the common office scan)"
    pdf(os.path.join(out, "ccitt-g4.pdf"),
        [(FULL_PAGE, f"/Width {w} /Height {h} /ColorSpace /DeviceGray /BitsPerComponent 1 "
          f"/Filter /CCITTFaxDecode /DecodeParms << /K -1 /Columns {w} /Rows {h} /BlackIs1 false >>",
          g4, A4)])
    files["jbig2.pdf"] = "scanned PDF, JBIG2 (generic region, MMR)"
    pdf(os.path.join(out, "jbig2.pdf"),
        [(FULL_PAGE, f"/Width {w} /Height {h} /ColorSpace /DeviceGray /BitsPerComponent 1 "
          "/Filter /JBIG2Decode", jbig2_mmr(w, h, g4), A4)])
    files["image-mask.pdf"] = "scanned PDF, the page as an image mask (/ImageMask, CCITT)"
    pdf(os.path.join(out, "image-mask.pdf"),
        [(b"q 0 0 0.4 rg 595.28 0 0 841.89 0 0 cm /Im1 Do Q",
          f"/Width {w} /Height {h} /ImageMask true /BitsPerComponent 1 /Decode [1 0] "
          f"/Filter /CCITTFaxDecode /DecodeParms << /K -1 /Columns {w} /Rows {h} >>", g4, A4)])
    # Palette and CMYK images inside PDFs, stored with Flate.
    pal = bytearray()
    for y in range(0, H, 2):
        for x in range(0, W, 2):
            pal.append(1 if ink(x, y) else 0)
    files["palette.pdf"] = "scanned PDF, indexed (palette) colour space, 150 dpi"
    pdf(os.path.join(out, "palette.pdf"),
        [(FULL_PAGE, f"/Width {W // 2} /Height {H // 2} /ColorSpace [/Indexed /DeviceRGB 1 <F8F4E8202060>] "
          "/BitsPerComponent 8 /Filter /FlateDecode", zlib.compress(bytes(pal)), A4)])
    cmyk = bytearray()
    for y in range(0, H, 2):
        for x in range(0, W, 2):
            cmyk += bytes((0, 0, 0, 230)) if ink(x, y) else bytes((5, 5, 15, 0))
    files["cmyk.pdf"] = "scanned PDF, DeviceCMYK image, 150 dpi"
    pdf(os.path.join(out, "cmyk.pdf"),
        [(FULL_PAGE, f"/Width {W // 2} /Height {H // 2} /ColorSpace /DeviceCMYK /BitsPerComponent 8 "
          "/Filter /FlateDecode", zlib.compress(bytes(cmyk)), A4)])
    files["vector-only.pdf"] = "born-digital PDF: text and vector graphics, no image"
    pdf(os.path.join(out, "vector-only.pdf"),
        [(letter_content(b"Legeerkl\\346ring", [b"Pasienten er undersokt.", b"Arbeidsevnen er nedsatt."],
                         "01418012345"), None, b"", A4)])
    files["300-pages.pdf"] = "born-digital PDF of 300 pages"
    pdf(os.path.join(out, "300-pages.pdf"),
        [(letter_content(b"Vedlegg %d" % i, [b"Side %d av et langt vedlegg med tekst." % i]), None, b"", A4)
         for i in range(1, 301)])
    files["poster-a0.pdf"] = "born-digital PDF, one A0 page (rendered below 300 dpi to fit the pixel limit)"
    pdf(os.path.join(out, "poster-a0.pdf"),
        [(letter_content(b"Plakat", [b"En stor side."]), None, b"", (2383.94, 3370.39))])
    # PNG with alpha and with 16-bit samples.
    Wp, Hp = 1240, 1754  # A4 at 150 dpi
    inkp = text_mask(Wp, Hp)
    files["gray16.png"] = "PNG, 16-bit gray, A4 at 150 dpi"
    png(os.path.join(out, "gray16.png"), Wp, Hp, 16, 0, lambda x, y: (4000 if inkp(x, y) else 64000,))
    files["rgba.png"] = "PNG, RGBA with transparent paper, A4 at 150 dpi"
    png(os.path.join(out, "rgba.png"), Wp, Hp, 8, 6,
        lambda x, y: (20, 20, 90, 255) if inkp(x, y) else (0, 0, 0, 0))
    # TIFFs: CMYK, and the 2,400 dpi page.
    data = bytearray()
    for y in range(Hp):
        for x in range(Wp):
            data += bytes((0, 0, 0, 220)) if inkp(x, y) else bytes((0, 0, 0, 0))
    files["cmyk.tif"] = "TIFF, CMYK 8-bit, A4 at 150 dpi"
    tiff(os.path.join(out, "cmyk.tif"), Wp, Hp, 8, 4, 5, bytes(data), extra=[(332, 3, 1, 1)])
    W24, H24 = 19843, 28063  # A4 at 2,400 dpi, bitonal
    row = (W24 + 7) // 8
    files["a4-2400dpi.tif"] = "TIFF, A4 at 2,400 dpi, 1-bit (557 Mpixels)"
    tiff(os.path.join(out, "a4-2400dpi.tif"), W24, H24, 1, 1, 0, bytes(row * H24))
    # A blank back side from a dusty scanner: 5x5-pixel specks on 7% of the page, too large
    # for despeckling. Tesseract's layout analysis, which checks no deadline, takes ~17 s.
    files["speckled.tif"] = "TIFF, a speckled blank back side, 1-bit, 300 dpi"
    files["speckled.tif --page-seconds 5"] = "the same, with a 5 s page bound"
    import random
    rng = random.Random(7)
    row = (W + 7) // 8
    bits = bytearray(row * H)
    for _ in range(W * H // 25 * 7 // 100):
        x0, y0 = rng.randrange(W - 5), rng.randrange(H - 5)
        for y in range(y0, y0 + 5):
            for x in range(x0, x0 + 5):
                bits[y * row + x // 8] |= 0x80 >> (x % 8)
    tiff(os.path.join(out, "speckled.tif"), W, H, 1, 1, 0, bytes(bits))
    files["30000px.png"] = "PNG, 30,000 x 30,000 pixels, 1-bit gray"
    with open(os.path.join(out, "30000px.png"), "wb") as f:
        raw = zlib.compress((b"\x00" + b"\xff" * (30000 // 8)) * 30000, 9)
        ch = lambda tag, d: struct.pack(">I", len(d)) + tag + d + struct.pack(">I", zlib.crc32(tag + d) & 0xFFFFFFFF)
        f.write(b"\x89PNG\r\n\x1a\n" + ch(b"IHDR", struct.pack(">IIBBBBB", 30000, 30000, 1, 0, 0, 0, 0)) +
                ch(b"IDAT", raw) + ch(b"IEND", b""))
    # JPEGs: progressive and CMYK, by the standard tools.
    ensure(["imagemagick", "libjpeg-turbo-progs"])
    src = os.path.join(out, "source.png")
    png(src, Wp, Hp, 8, 0, lambda x, y: (30 if inkp(x, y) else 245,))
    subprocess.run(["convert", src, "pgm:" + os.path.join(out, "source.pgm")], check=True)
    files["progressive.jpg"] = "JPEG, progressive, gray"
    with open(os.path.join(out, "progressive.jpg"), "wb") as f:
        subprocess.run(["cjpeg", "-progressive", "-quality", "85", os.path.join(out, "source.pgm")],
                       stdout=f, check=True)
    files["cmyk.jpg"] = "JPEG, CMYK (Adobe)"
    subprocess.run(["convert", src, "-colorspace", "CMYK", "-quality", "85",
                    os.path.join(out, "cmyk.jpg")], check=True)
    return files


def run(cli, store, path, extra=()):
    shutil.rmtree(store, ignore_errors=True)
    start = time.monotonic()
    p = subprocess.Popen([cli, "--db", store, "--principal", "service:intake", "--json", "intake",
                          *extra, path], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = p.communicate()
    seconds = time.monotonic() - start
    # The intake process's own peak: ru_maxrss of the reaped child (KiB on Linux).
    import resource
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    try:
        report = json.loads(out)
    except ValueError:
        report = {"error": err.decode(errors="replace")[-300:]}
    return report, seconds, rss


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.path.join(ROOT, "build", "bench-awkward"))
    args = ap.parse_args()
    cli = os.path.join(ROOT, "build", "cli", "postmottak")
    samples_tool = os.path.join(ROOT, "build", "samples", "postmottak-samples")
    os.makedirs(args.out, exist_ok=True)
    files = make_files(args.out, samples_tool)
    rows = []
    for name, what in files.items():
        log(f"intake {name}")
        # Each file in its own Python child, so ru_maxrss of RUSAGE_CHILDREN is its own.
        # "file --option value": the file, taken in with those options.
        file_name, *extra = name.split(" ")
        probe = subprocess.run([sys.executable, __file__, "--one", cli,
                                os.path.join(args.out, "store"), os.path.join(args.out, file_name),
                                *extra],
                               capture_output=True, text=True)
        report, seconds, rss = json.loads(probe.stdout)
        q = report.get("quarantined", [])
        outcome = ("refused: " + q[0]["reason"].split(": ", 1)[-1]) if q else (
            "read" if "pages" in report else "failed: " + report.get("error", "?"))
        rows.append({"file": name, "what": what,
                     "size_bytes": os.path.getsize(os.path.join(args.out, file_name)),
                     "outcome": outcome, "pages": report.get("pages", 0),
                     "documents": report.get("documents", 0),
                     "rendered_pages": report.get("rendered_pages", 0),
                     "text_layer_pages": report.get("text_layer_pages", 0),
                     "unread_pages": report.get("unread_pages", 0),
                     "slowest_page_s": (report.get("slowest_pages") or [{"seconds": 0}])[0]["seconds"],
                     "seconds": round(seconds, 2), "peak_rss_mib": round(rss / 1024, 1)})
    with open(os.path.join(args.out, "results.json"), "w") as f:
        json.dump(rows, f, indent=2)
    lines = ["| file | what | outcome | pages | rendered | text layer | slowest page s | wall s | peak RSS MiB |",
             "|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        lines.append(f"| {r['file']} | {r['what']} | {r['outcome']} | {r['pages']} | {r['rendered_pages']} | "
                     f"{r['text_layer_pages']} | {r['slowest_page_s']:.2f} | {r['seconds']} | {r['peak_rss_mib']} |")
    with open(os.path.join(args.out, "results.md"), "w") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--one":
        print(json.dumps(run(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:])))
    else:
        main()
