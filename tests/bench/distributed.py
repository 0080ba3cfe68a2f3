#!/usr/bin/env python3
"""Distributed intake against embedded intake: one command, the same batch for every run.

    python3 tests/bench/distributed.py [--out build/bench-distributed] [--pages 120]

Run after the README set-up (which builds Postmottak and installs nats-server). It
generates one typical office batch with the sample generator, starts a nats-server with
JetStream on a loopback port (its storage under --out), and takes the batch in

  * embedded, with 1 and with N threads (N = cores),
  * distributed: 1 worker with 1 thread, 1 worker with N threads, N workers with 1 thread,

each into a fresh copy of the same store, checking that every distributed store journals
the same documents as the embedded one. Pages per second are wall-clock from the intake
command's start to its end; worker start-up (Tesseract loading) happens before, as in a
deployment where workers run all day. The overhead of distribution is the ratio against
the embedded run at equal cores. Results go to results.json and results.md under --out.
Standard library only.
"""

import argparse
import json
import os
import platform
import shutil
import socket
import subprocess
import sys
import time

from bench_common import ROOT, free_port, log  # noqa: E402  (beside this script)


def wait_port(port, seconds=20):
    until = time.monotonic() + seconds
    while time.monotonic() < until:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise SystemExit("nats-server did not start")


def intake(cli, corpus, store, extra):
    shutil.rmtree(store, ignore_errors=True)
    shutil.copytree(os.path.join(corpus, "store"), store)
    start = time.monotonic()
    p = subprocess.run([cli, "--db", store, "--principal", "service:intake", "--json", "intake",
                        "--batch", "bench", *extra, os.path.join(corpus, "scans")],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    seconds = time.monotonic() - start
    if p.returncode != 0:
        raise SystemExit(f"intake failed ({p.returncode}):\n{p.stderr[-2000:]}")
    return seconds, json.loads(p.stdout)


def documents(cli, store, report):
    """What must be equal across modes: the documents on cases (ids derive from the page
    images), and the report's counts (documents, links, manual journaling, quarantine)."""
    p = subprocess.run([cli, "--db", store, "--principal", "service:case-system", "--json",
                        "documents"],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if p.returncode != 0:
        raise SystemExit(f"documents failed:\n{p.stderr[-2000:]}")
    counts = [report[k] for k in ("pages", "documents", "linked_by_cover_sheet", "linked_by_text",
                                  "manual_journaling", "duplicate_pages")]
    counts.append(len(report["quarantined"]))
    return counts, sorted((d["id"], d.get("case_id", ""), d.get("type", ""))
                          for d in json.loads(p.stdout))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.path.join(ROOT, "build", "bench-distributed"))
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--pages", type=int, default=120)
    ap.add_argument("--seed", type=int, default=20261123)
    args = ap.parse_args()

    cores = os.cpu_count() or 1
    cli = os.path.join(args.build, "cli", "postmottak")
    samples = os.path.join(args.build, "samples", "postmottak-samples")
    server = shutil.which("nats-server")
    if not server:
        raise SystemExit("nats-server is not installed: run the README set-up (bash .ci/setup)")
    os.makedirs(args.out, exist_ok=True)
    corpus = os.path.join(args.out, "corpus")
    if not os.path.exists(os.path.join(corpus, "truth.json")):
        log(f"generating the office batch ({args.pages} pages)")
        shutil.rmtree(corpus, ignore_errors=True)
        subprocess.run([samples, "--out", corpus, "--db", os.path.join(corpus, "store"),
                        "--pages", str(args.pages), "--seed", str(args.seed)], check=True,
                       stdout=subprocess.DEVNULL)
    pages = len(json.load(open(os.path.join(corpus, "truth.json")))["pages"])

    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    runs = []

    def record(name, mode, workers, threads, seconds, report, docs):
        runs.append({"name": name, "mode": mode, "workers": workers, "threads_each": threads,
                     "cores_used": workers * threads, "seconds": round(seconds, 2),
                     "pages": report["pages"], "pages_per_second": round(report["pages"] / seconds, 3),
                     "documents": report["documents"], "same_documents": docs})
        log(f"{name}: {report['pages'] / seconds:.2f} pages/s")

    reference = None
    for threads in sorted({1, cores}):
        store = os.path.join(args.out, f"store-embedded-{threads}")
        seconds, report = intake(cli, corpus, store, ["--workers", str(threads)])
        docs = documents(cli, store, report)
        reference = reference or docs
        record(f"embedded, {threads} thread(s)", "embedded", 1, threads, seconds, report,
               docs == reference)

    port = free_port()
    jsdir = os.path.join(args.out, "nats")
    shutil.rmtree(jsdir, ignore_errors=True)
    os.makedirs(jsdir)
    conf = os.path.join(jsdir, "server.conf")
    with open(conf, "w") as f:
        f.write(f'listen: 127.0.0.1:{port}\njetstream {{ store_dir: "{jsdir}/js" }}\n')
    nats = subprocess.Popen([server, "-c", conf], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    url = f"nats://127.0.0.1:{port}"
    try:
        wait_port(port)
        layouts = [(1, 1), (1, cores), (cores, 1)] if cores > 1 else [(1, 1)]
        for workers, threads in layouts:
            procs = [subprocess.Popen([cli, "worker", "--nats", url, "--threads", str(threads),
                                       "--name", f"bench-{i}"], env=env,
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                     for i in range(workers)]
            time.sleep(3)  # Tesseract loaded: workers wait for jobs, as in a deployment
            store = os.path.join(args.out, f"store-nats-{workers}x{threads}")
            seconds, report = intake(cli, corpus, store, ["--nats", url])
            docs = documents(cli, store, report)
            for p in procs:
                p.terminate()
            for p in procs:
                p.wait(timeout=60)
            record(f"distributed, {workers} worker(s) x {threads} thread(s)", "distributed",
                   workers, threads, seconds, report, docs == reference)
    finally:
        nats.terminate()
        nats.wait(timeout=30)

    def rate(mode, cores_used, **kw):
        for r in runs:
            if r["mode"] == mode and r["cores_used"] == cores_used and all(r[k] == v for k, v in kw.items()):
                return r["pages_per_second"]
        return None

    summary = {}
    for c in sorted({1, cores}):
        emb = rate("embedded", c)
        for r in runs:
            if r["mode"] == "distributed" and r["cores_used"] == c:
                summary[r["name"]] = {"vs_embedded_at_equal_cores": round(r["pages_per_second"] / emb, 3)}
    one = rate("distributed", 1)
    if cores > 1:
        summary["scaling, 1 to %d workers of 1 thread" % cores] = round(
            rate("distributed", cores, workers=cores) / one, 3)
    results = {"machine": {"cores": cores, "os": platform.platform()},
               "command": " ".join(sys.argv), "pages": pages, "runs": runs, "summary": summary}
    with open(os.path.join(args.out, "results.json"), "w") as f:
        json.dump(results, f, indent=2)
    lines = [f"Batch: {pages} pages (office level), {cores} cores.", "",
             "| run | cores | seconds | pages/s | same documents as embedded |",
             "|---|---|---|---|---|"]
    for r in runs:
        lines.append(f"| {r['name']} | {r['cores_used']} | {r['seconds']} | {r['pages_per_second']} | "
                     f"{'yes' if r['same_documents'] else 'NO'} |")
    lines += ["", "| ratio | value |", "|---|---|"]
    for k, v in summary.items():
        lines.append(f"| {k} | {v if not isinstance(v, dict) else v['vs_embedded_at_equal_cores']} |")
    with open(os.path.join(args.out, "results.md"), "w") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines))
    if not all(r["same_documents"] for r in runs):
        raise SystemExit("a distributed run journaled other documents than the embedded one")


if __name__ == "__main__":
    main()
