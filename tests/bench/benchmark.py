#!/usr/bin/env python3
"""Postmottak's benchmark and evaluation: one command, the same pages for every tool.

    python3 tests/bench/benchmark.py [--out build/bench] [--pages 150] [--memory 1000,10000]

Run after the README set-up (which builds Postmottak and installs the reference tools:
tesseract, ocrmypdf, ZXingReader, zbarimg, gnuplot). It

  1. makes one corpus per degradation level (clean, office, poor, fax) with the sample
     generator, and (after the timed parts) evaluates Postmottak's intake on each
     against the ground truth;
  2. intakes the "office" corpus (a typical mail batch) and runs the tesseract CLI
     (one process per core, OMP_THREAD_LIMIT=1) and ocrmypdf -j N over the same pages,
     with the character error rate of each;
  3. times barcode finding per page (Postmottak's barcode stage, ZXingReader, zbarimg)
     on every level's page images, with recall of cover sheets and separator sheets;
  4. runs the cover-sheet path (cover sheets and short documents, intake --defer-ocr);
  5. measures intake pages per second against the number of worker threads;
  6. measures peak memory of the cover-sheet path at each --memory batch size;

and writes results.json, results.md and PNG plots under --out. Times are wall-clock on
this machine; the ratios are the point, since every tool runs in the same command.
Standard library only: the machine needs nothing from PyPI.
"""

import argparse
import concurrent.futures
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import time
import xml.etree.ElementTree as ET

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LEVELS = ["clean", "office", "poor", "fax"]
SEPARATOR = "POSTMOTTAK-SKILLEARK"



def scan_files(corpus):
    """The scanned files of a corpus, in name order (not its manifest.json)."""
    return sorted(f for f in os.listdir(os.path.join(corpus, "scans")) if f.endswith((".tif", ".pdf")))

def log(msg):
    print(f"[bench] {msg}", file=sys.stderr, flush=True)


def run(cmd):
    """Runs cmd to completion; returns (seconds, stdout). Exits on failure."""
    start = time.monotonic()
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    seconds = time.monotonic() - start
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
    return seconds, proc.stdout


def run_measured(cmd):
    """Runs cmd in a fresh Python child so its peak RSS is its own, not the maximum so far."""
    probe = (
        "import json,os,resource,subprocess,sys,time\n"
        "t=time.monotonic()\n"
        "p=subprocess.run(sys.argv[1:],stdout=subprocess.PIPE,stderr=subprocess.PIPE,text=True)\n"
        "s=time.monotonic()-t\n"
        "r=resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss/1024.0\n"
        "print(json.dumps({'rc':p.returncode,'seconds':s,'rss_mib':r,'out':p.stdout,'err':p.stderr[-2000:]}))\n"
    )
    res = subprocess.run([sys.executable, "-c", probe] + cmd, stdout=subprocess.PIPE, text=True,
                         check=True)
    r = json.loads(res.stdout)
    if r["rc"] != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({r['rc']}):\n{r['err']}")
    return r


def tool(name):
    path = shutil.which(name)
    if not path:
        raise SystemExit(f"{name} is not installed: run the README set-up (bash .ci/setup) first")
    return path


def load(path):
    with open(path) as f:
        return json.load(f)


def fresh_store(corpus, dest):
    shutil.rmtree(dest, ignore_errors=True)
    shutil.copytree(os.path.join(corpus, "store"), dest)


def intake(cli, corpus, store, workers, extra=(), files=None):
    fresh_store(corpus, store)
    paths = files or [os.path.join(corpus, "scans")]
    r = run_measured([cli, "--db", store, "--principal", "service:intake", "--json", "intake",
                      "--workers", str(workers),
                      "--batch", "bench", *extra, *paths])
    report = json.loads(r["out"])
    return r["seconds"], r["rss_mib"], report


def cer_of(evaluator, corpus, texts, per_file=False):
    cmd = [evaluator, "cer", "--corpus", corpus, "--texts", texts] + (["--per-file"] if per_file else [])
    _, out = run(cmd)
    return json.loads(out)["character_error_rate"]


def truth_symbols(truth):
    """Per page image: the payload a barcode reader must find there, or None."""
    want = {}
    for p in truth["pages"]:
        if p["kind"] == "cover_sheet":
            want[p["image"]] = p["cover_id"]
        elif p["kind"] == "separator":
            want[p["image"]] = SEPARATOR
        else:
            want[p["image"]] = None
    return want


def barcode_recall(want, found):
    hits = total = false_pos = 0
    for image, payload in want.items():
        got = found.get(image, set())
        if payload is None:
            false_pos += any(g == SEPARATOR or re.fullmatch(r"\d{12}", g) for g in got)
            continue
        total += 1
        hits += payload in got
    return (hits / total if total else 1.0), false_pos


def bench_zbar(images):
    start = time.monotonic()
    proc = subprocess.run([tool("zbarimg"), "--xml", "-q"] + images, stdout=subprocess.PIPE,
                          stderr=subprocess.DEVNULL, text=True)
    seconds = time.monotonic() - start
    found = {}
    try:
        root = ET.fromstring(proc.stdout)
        ns = {"z": "http://zbar.sourceforge.net/2008/barcode"}
        for src in root.findall("z:source", ns):
            href = src.get("href")
            found[href] = {d.text for d in src.iter("{http://zbar.sourceforge.net/2008/barcode}data")}
    except ET.ParseError:
        pass
    return seconds, found


def bench_zxing(images):
    # One process per page: ZXingReader 1.4 aborts on some pages (an assertion in its
    # Code 128 reader, zxing-cpp issues #516/#740) and would take the others with it.
    found, crashes = {}, 0
    start = time.monotonic()
    for image in images:
        p = subprocess.run([tool("ZXingReader"), "-1", "-format", "Code128,DataMatrix", image],
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        if p.returncode != 0:
            crashes += 1
            continue
        got = set()
        for line in p.stdout.splitlines():
            if line.startswith(image + " "):
                text = line[len(image) + 1:]
                if text != "None":
                    got.add(text.strip('"'))
        found[image] = got
    return time.monotonic() - start, found, crashes


def gnuplot(script):
    subprocess.run([tool("gnuplot")], input=script, text=True, check=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=os.path.join(ROOT, "build", "bench"))
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--pages", type=int, default=150, help="pages per degradation level")
    ap.add_argument("--cover-pages", type=int, default=600, help="pages of the cover-sheet batch")
    ap.add_argument("--memory", default="1000,10000", help="batch sizes for peak memory ('' to skip)")
    ap.add_argument("--workers", default="1,2,3,4", help="worker counts for the scaling curve")
    ap.add_argument("--seed", type=int, default=20261123)
    args = ap.parse_args()

    cores = os.cpu_count() or 1
    cli = os.path.join(args.build, "cli", "postmottak")
    samples = os.path.join(args.build, "samples", "postmottak-samples")
    evaluator = os.path.join(args.build, "samples", "postmottak-eval")
    for t in ("tesseract", "ocrmypdf", "ZXingReader", "zbarimg", "gnuplot"):
        tool(t)
    os.makedirs(args.out, exist_ok=True)
    results = {
        "machine": {"cores": cores, "cpu": cpu_name(), "memory_gib": mem_gib(), "os": platform.platform()},
        "command": " ".join(sys.argv),
        "versions": versions(),
    }

    # The corpora: one per level, the same pages for every tool (kept between runs).
    corpora = os.path.join(args.out, "corpus")
    for level in LEVELS:
        corpus = os.path.join(corpora, level)
        if not os.path.exists(os.path.join(corpus, "truth.json")):
            log(f"generating the {level} corpus ({args.pages} pages)")
            shutil.rmtree(corpus, ignore_errors=True)
            run([samples, "--out", corpus, "--db", os.path.join(corpus, "store"), "--pages",
                 str(args.pages), "--level", level, "--seed", str(args.seed), "--page-images"])

    # 2. Intake against tesseract and ocrmypdf on the typical batch.
    office = os.path.join(corpora, "office")
    truth = load(os.path.join(office, "truth.json"))
    pages = len(truth["pages"])
    images = [p["image"] for p in truth["pages"]]
    log("intake of the office batch")
    secs, rss, rep = intake(cli, office, os.path.join(args.out, "store-intake"), cores)
    ours = {"pages": pages, "seconds": secs, "pages_per_second": pages / secs, "peak_rss_mib": rss}

    log(f"tesseract CLI, {cores} processes")
    tdir = os.path.join(args.out, "tesseract")
    shutil.rmtree(tdir, ignore_errors=True)
    os.makedirs(tdir)
    env = dict(os.environ, OMP_THREAD_LIMIT="1")

    def ocr_one(image):
        stem = os.path.splitext(os.path.basename(image))[0]
        subprocess.run([tool("tesseract"), image, os.path.join(tdir, stem), "-l", "nor"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=True)

    start = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(cores) as pool:
        list(pool.map(ocr_one, images))
    tsecs = time.monotonic() - start
    tess = {"pages": pages, "seconds": tsecs, "pages_per_second": pages / tsecs,
            "cer": cer_of(evaluator, office, tdir)}

    log(f"ocrmypdf -j {cores}")
    odir = os.path.join(args.out, "ocrmypdf")
    shutil.rmtree(odir, ignore_errors=True)
    os.makedirs(odir)
    start = time.monotonic()
    for f in scan_files(office):
        stem = os.path.splitext(f)[0]
        # As paperless-ngx runs it: pages turned upright and deskewed.
        run([tool("ocrmypdf"), "-j", str(cores), "-l", "nor", "--rotate-pages", "--deskew", "--sidecar",
             os.path.join(odir, stem + ".txt"), os.path.join(office, "scans", f),
             os.path.join(odir, stem + ".pdf")])
    osecs = time.monotonic() - start
    ocrmypdf = {"pages": pages, "seconds": osecs, "pages_per_second": pages / osecs,
                "cer": cer_of(evaluator, office, odir, per_file=True)}
    results["ocr"] = {"postmottak": ours, "tesseract": tess, "ocrmypdf": ocrmypdf,
                      "ratio_vs_tesseract": ours["pages_per_second"] / tess["pages_per_second"],
                      "ratio_vs_ocrmypdf": ours["pages_per_second"] / ocrmypdf["pages_per_second"]}

    # 3. Barcodes per level, single-threaded, from the image file to the symbols.
    results["barcodes"] = {}
    for level in LEVELS:
        corpus = os.path.join(corpora, level)
        t = load(os.path.join(corpus, "truth.json"))
        imgs = [p["image"] for p in t["pages"]]
        want = truth_symbols(t)
        log(f"barcodes, {level}")
        _, out = run([evaluator, "barcodes", "--corpus", corpus])
        mine = json.loads(out)
        zsecs, zfound = bench_zbar(imgs)
        zrecall, zfp = barcode_recall(want, zfound)
        xsecs, xfound, crashes = bench_zxing(imgs)
        xrecall, xfp = barcode_recall(want, xfound)
        sheets = sum(1 for v in want.values() if v)
        ours_recall = (mine["cover_recall"] * mine["cover_sheets"] +
                       mine["separator_recall"] * mine["separators"]) / max(1, sheets)
        results["barcodes"][level] = {
            "pages": len(imgs), "sheets": sheets,
            "postmottak": {"ms_per_page": mine["ms_per_page"], "recall": ours_recall,
                           "cover_recall": mine["cover_recall"], "false_positives": mine["false_positives"]},
            "zbarimg": {"ms_per_page": 1000 * zsecs / len(imgs), "recall": zrecall, "false_positives": zfp},
            "ZXingReader": {"ms_per_page": 1000 * xsecs / len(imgs), "recall": xrecall,
                            "false_positives": xfp, "crashed_pages": crashes},
        }

    # 4. The cover-sheet path.
    cover = os.path.join(args.out, "cover")
    if not os.path.exists(os.path.join(cover, "truth.json")):
        log(f"generating the cover-sheet batch ({args.cover_pages} pages)")
        shutil.rmtree(cover, ignore_errors=True)
        run([samples, "--out", cover, "--db", os.path.join(cover, "store"), "--pages",
             str(args.cover_pages), "--mix", "cover_sheets", "--seed", str(args.seed)])
    log("cover-sheet path")
    secs, rss, rep = intake(cli, cover, os.path.join(args.out, "store-cover"), cores, ["--defer-ocr"])
    results["cover_path"] = {"pages": rep["pages"], "documents": rep["documents"], "seconds": secs,
                             "pages_per_second": rep["pages"] / secs,
                             "documents_per_second": rep["documents"] / secs, "peak_rss_mib": rss}

    # 5. Pages per second against worker threads (OCR path, the first files of the batch).
    scans = scan_files(office)[:2]
    files = [os.path.join(office, "scans", f) for f in scans]
    results["workers"] = []
    for w in [int(x) for x in args.workers.split(",")]:
        log(f"{w} workers")
        secs, rss, rep = intake(cli, office, os.path.join(args.out, "store-workers"), w, files=files)
        results["workers"].append({"workers": w, "pages": rep["pages"], "pages_per_second": rep["pages"] / secs,
                                   "peak_rss_mib": rss})

    # The evaluation per level (after the timed parts, which want the machine to themselves).
    log(f"evaluating {args.pages} pages per level")
    _, table = run([evaluator, "--workers", str(cores), "--json", os.path.join(args.out, "eval.json"),
                    "--details", args.out] + sum((["--corpus", os.path.join(corpora, l)] for l in LEVELS), []))
    results["eval"] = load(os.path.join(args.out, "eval.json"))
    results["eval_table"] = table
    print(table)

    # Our character error rate is the evaluation's (same pages, same code).
    results["ocr"]["postmottak"]["cer"] = next(
        e for e in results["eval"] if e["degradation"] == "office")["character_error_rate"]

    # 6. Peak memory against batch size, on the cover-sheet path.
    results["memory"] = []
    for n in [int(x) for x in args.memory.split(",") if x.strip()]:
        corpus = os.path.join(args.out, f"memory-{n}")
        if not os.path.exists(os.path.join(corpus, "truth.json")):
            log(f"generating {n} pages")
            shutil.rmtree(corpus, ignore_errors=True)
            run([samples, "--out", corpus, "--db", os.path.join(corpus, "store"), "--pages", str(n),
                 "--mix", "cover_sheets", "--seed", str(args.seed)])
        log(f"peak memory, {n} pages")
        secs, rss, rep = intake(cli, corpus, os.path.join(args.out, "store-memory"), cores, ["--defer-ocr"])
        results["memory"].append({"pages": rep["pages"], "peak_rss_mib": rss, "seconds": secs,
                                  "pages_per_second": rep["pages"] / secs})
        shutil.rmtree(os.path.join(args.out, "store-memory"), ignore_errors=True)

    with open(os.path.join(args.out, "results.json"), "w") as f:
        json.dump(results, f, indent=1)
    plots(results, args.out)
    md = markdown(results)
    with open(os.path.join(args.out, "results.md"), "w") as f:
        f.write(md)
    print(md)


def plots(r, out):
    data = os.path.join(out, "workers.dat")
    with open(data, "w") as f:
        for w in r["workers"]:
            f.write(f"{w['workers']} {w['pages_per_second']:.3f}\n")
    gnuplot(f"""set terminal pngcairo size 800,500 font 'DejaVu Sans,11'
set output '{out}/throughput-workers.png'
set title 'Intake throughput against worker threads ({r["machine"]["cores"]} cores, OCR on)'
set xlabel 'worker threads'; set ylabel 'pages per second'; set grid
set xtics 1; set yrange [0:*]; set key off
plot '{data}' using 1:2 with linespoints lw 2 pt 7
""")
    data = os.path.join(out, "recall.dat")
    with open(data, "w") as f:
        for i, level in enumerate(LEVELS):
            b = r["barcodes"][level]
            e = next(x for x in r["eval"] if x["degradation"] == level)
            f.write(f"{i} {level} {100 * b['postmottak']['recall']:.2f} {100 * b['zbarimg']['recall']:.2f} "
                    f"{100 * b['ZXingReader']['recall']:.2f} {100 * e['link_recall']['value']:.2f} "
                    f"{100 * e['link_precision']['value']:.2f}\n")
    gnuplot(f"""set terminal pngcairo size 800,500 font 'DejaVu Sans,11'
set output '{out}/recall-degradation.png'
set title 'Recall against degradation level'
set xlabel 'degradation level'; set ylabel 'percent'; set grid
set yrange [0:105]; set key bottom left
plot '{data}' using 1:3:xtic(2) with linespoints lw 2 pt 7 title 'sheet barcodes: Postmottak', \\
     '' using 1:4 with linespoints lw 2 pt 5 title 'sheet barcodes: zbarimg', \\
     '' using 1:5 with linespoints lw 2 pt 9 title 'sheet barcodes: ZXingReader', \\
     '' using 1:6 with linespoints lw 2 dt 2 pt 13 title 'documents linked (link recall)', \\
     '' using 1:7 with linespoints lw 2 dt 3 pt 11 title 'link precision'
""")


def markdown(r):
    m = r["machine"]
    lines = [f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gib']:.0f} GiB; {m['os']}",
             f"Command: `{r['command']}`", ""]
    o = r["ocr"]
    lines += ["| tool (office batch) | pages/s | ratio (Postmottak / tool) | character error rate |",
              "|---|---|---|---|"]
    for name in ("postmottak", "tesseract", "ocrmypdf"):
        x = o[name]
        ratio = "1.00" if name == "postmottak" else f"{o['postmottak']['pages_per_second'] / x['pages_per_second']:.2f}"
        lines.append(f"| {name} | {x['pages_per_second']:.2f} | {ratio} | {100 * x['cer']:.2f}% |")
    lines += ["", "| level | sheets | Postmottak ms/page | recall | zbarimg ms/page | recall | speed-up | "
              "ZXingReader ms/page | recall | crashed pages |", "|---|---|---|---|---|---|---|---|---|---|"]
    for level in LEVELS:
        b = r["barcodes"][level]
        p, z, x = b["postmottak"], b["zbarimg"], b["ZXingReader"]
        lines.append(f"| {level} | {b['sheets']} | {p['ms_per_page']:.1f} | {100 * p['recall']:.1f}% | "
                     f"{z['ms_per_page']:.1f} | {100 * z['recall']:.1f}% | {z['ms_per_page'] / p['ms_per_page']:.1f}x | "
                     f"{x['ms_per_page']:.1f} | {100 * x['recall']:.1f}% | {x['crashed_pages']} |")
    c = r["cover_path"]
    lines += ["", f"Cover-sheet path (intake --defer-ocr): {c['pages']} pages, {c['documents']} documents in "
              f"{c['seconds']:.1f} s: {c['pages_per_second']:.1f} pages/s, {c['documents_per_second']:.1f} "
              f"documents/s committed; peak RSS {c['peak_rss_mib']:.0f} MiB", ""]
    if r["memory"]:
        lines += ["| batch | peak RSS | pages/s |", "|---|---|---|"]
        for x in r["memory"]:
            lines.append(f"| {x['pages']} pages | {x['peak_rss_mib']:.0f} MiB | {x['pages_per_second']:.1f} |")
        if len(r["memory"]) > 1:
            lines.append(f"\nPeak memory, largest / smallest batch: "
                         f"{r['memory'][-1]['peak_rss_mib'] / r['memory'][0]['peak_rss_mib']:.2f}")
    lines += ["", "| workers | pages/s |", "|---|---|"]
    for w in r["workers"]:
        lines.append(f"| {w['workers']} | {w['pages_per_second']:.2f} |")
    lines += ["", "```", r["eval_table"].rstrip(), "```", ""]
    return "\n".join(lines)


def cpu_name():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def mem_gib():
    try:
        with open("/proc/meminfo") as f:
            return int(f.readline().split()[1]) / 1024 / 1024
    except (OSError, ValueError, IndexError):
        return 0


def versions():
    v = {}
    for name, cmd in (("tesseract", ["tesseract", "--version"]), ("ocrmypdf", ["ocrmypdf", "--version"]),
                      ("zbarimg", ["zbarimg", "--version"])):
        try:
            p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            v[name] = p.stdout.splitlines()[0].strip() if p.stdout else ""
        except OSError:
            v[name] = "missing"
    return v


if __name__ == "__main__":
    main()
