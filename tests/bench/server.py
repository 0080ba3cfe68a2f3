#!/usr/bin/env python3
"""Intake under API load: `postmottak serve` takes a batch from its inbox at full speed,
first alone, then while N API clients read cases, documents and page images and register
cases. One command, the same batch and store for every run:

    python3 tests/bench/server.py [--out build/bench-server] [--pages 120] [--clients 4]
                                  [--think-ms 0] [--rounds 2] [--request-priority idle]

Run after the README set-up (which builds Postmottak). It generates two typical office
batches with the sample generator into one store: the first is taken in with
`postmottak intake` (so that there are documents and page images to read), the second is
the measured one. Each round copies that store, starts the server on a loopback port
with an inbox, drops the batch in, and reads the intake's pages per second from the
server's /metrics once the batch is taken. With readers, N client threads (bounded:
--clients, and they stop when the batch is taken or after --max-seconds) loop over

  GET /api/v1/cases/{id}, GET /api/v1/documents/{id}, GET .../pages/1?width=300,
  POST /api/v1/cases (a new case each time)

as the case system (a service token), and every answer is checked: any status other
than the expected one, or a connection error, is an error. Reported: intake pages/s
with and without readers (the best of --rounds each, to keep the machine's noise out),
the API's requests/s and p50/p99 latency, and the error count. Results go to
results.json and results.md under --out. Standard library only.
"""

import argparse
import hashlib
import http.client
import json
import os
import platform
import re
import shutil
import socket
import subprocess
import sys
import threading
import time

from bench_common import ROOT, free_port, log  # noqa: E402  (beside this script)


def generate(samples, corpus, pages, seed, first_case):
    if os.path.exists(os.path.join(corpus, "truth.json")):
        return
    subprocess.run([samples, "--out", corpus, "--db", os.path.join(os.path.dirname(corpus), "store"),
                    "--pages", str(pages), "--seed", str(seed), "--first-case", str(first_case)],
                   check=True, stdout=subprocess.DEVNULL)


class Server:
    """`postmottak serve` on a copy of the store, with an inbox, until stop()."""

    def __init__(self, cli, template, workdir, token_sha, workers, priority):
        shutil.rmtree(workdir, ignore_errors=True)
        os.makedirs(workdir)
        self.store = os.path.join(workdir, "store")
        shutil.copytree(template, self.store)
        self.inbox = os.path.join(workdir, "inbox")
        os.makedirs(self.inbox)
        config = os.path.join(workdir, "server.json")
        with open(config, "w") as f:
            json.dump({"tokens": {"service_tokens": {token_sha: "service:case-system",
                                                     self_sha(): "user:arkiv"}},
                       "limits": {"threads": 8, "request_priority": priority},
                       "inbox": {"quiet_seconds": 1, "poll_milliseconds": 100}}, f)
        self.port = free_port()
        self.log = open(os.path.join(workdir, "serve.log"), "w")
        env = dict(os.environ, OMP_THREAD_LIMIT="1")
        self.proc = subprocess.Popen(
            [cli, "--db", self.store, "serve", "--listen", f"127.0.0.1:{self.port}", "--config",
             config, "--inbox", self.inbox, "--workers", str(workers)],
            stdout=self.log, stderr=subprocess.STDOUT, env=env)
        until = time.monotonic() + 30
        while time.monotonic() < until:
            if get(self.port, "/healthz", "")[0] == 200:
                return
            time.sleep(0.05)
        raise SystemExit("the server did not start; see " + self.log.name)

    def drop(self, scans, name):
        staging = os.path.join(self.inbox, ".uploads", name)
        shutil.copytree(scans, staging)
        os.rename(staging, os.path.join(self.inbox, name))  # appears whole

    def metrics(self):
        status, body = get(self.port, "/metrics", ARCHIVIST[0])
        if status != 200:
            raise SystemExit(f"/metrics answered {status}")
        out = {}
        for line in body.decode().splitlines():
            m = re.match(r"^(postmottak_[a-z_]+) ([0-9.e+-]+)$", line)
            if m:
                out[m.group(1)] = float(m.group(2))
        return out

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=120)
        self.log.close()


ARCHIVIST = []


def self_sha():
    return hashlib.sha256(ARCHIVIST[0].encode()).hexdigest()


def get(port, path, token, method="GET", body=None):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        if body is not None:
            headers["Content-Type"] = "application/json"
        c.request(method, path, body=body, headers=headers)
        r = c.getresponse()
        return r.status, r.read()
    except OSError:
        return 0, b""
    finally:
        c.close()


class Readers:
    """N client threads doing what a case system does, until stopped."""

    def __init__(self, port, token, cases, documents, clients, think, max_seconds):
        self.latencies, self.errors, self.by_kind = [], [], {}
        self.lock = threading.Lock()
        self.stop_flag = threading.Event()
        self.deadline = time.monotonic() + max_seconds
        self.threads = [threading.Thread(target=self.run, args=(i, port, token, cases, documents,
                                                                think))
                        for i in range(clients)]
        self.start = time.monotonic()
        for t in self.threads:
            t.start()

    def run(self, i, port, token, cases, documents, think):
        n = 0
        while not self.stop_flag.is_set() and time.monotonic() < self.deadline:
            kind = n % 4
            if kind == 0:
                path, method, body, ok = f"/api/v1/cases/{cases[n % len(cases)]}", "GET", None, 200
            elif kind == 1:
                path, method, body, ok = (f"/api/v1/documents/{documents[n % len(documents)]}",
                                          "GET", None, 200)
            elif kind == 2:
                path, method, body, ok = (f"/api/v1/documents/{documents[n % len(documents)]}"
                                          "/pages/1?width=300", "GET", None, 200)
            else:
                case_id = f"2026-{900000 + i * 10000 + n:06d}"
                path, method, ok = "/api/v1/cases", "POST", 201
                body = json.dumps({"id": case_id, "person_id": "13877210086", "area": "AAP",
                                   "unit": "0301"})
            t0 = time.monotonic()
            status, _ = get(port, path, token, method, body)
            dt = time.monotonic() - t0
            with self.lock:
                self.latencies.append(dt)
                self.by_kind[kind] = self.by_kind.get(kind, 0) + 1
                if status != ok:
                    self.errors.append(f"{method} {path}: {status}")
            n += 1
            if think:
                time.sleep(think)

    def finish(self):
        self.stop_flag.set()
        for t in self.threads:
            t.join()
        self.seconds = time.monotonic() - self.start


def reader_process(argv):
    """The clients, in a process of their own (run under nice: they stand for case
    systems on other machines). Runs until the stop file appears, then prints results."""
    port, token, stop_file, clients, think_ms, max_seconds = argv[:6]
    cases, documents = json.loads(argv[6]), json.loads(argv[7])
    readers = Readers(int(port), token, cases, documents, int(clients), int(think_ms) / 1000,
                      int(max_seconds))
    while not os.path.exists(stop_file) and time.monotonic() < readers.deadline:
        time.sleep(0.05)
    readers.finish()
    print(json.dumps({"latencies": readers.latencies, "errors": readers.errors,
                      "seconds": readers.seconds}))


class ReaderResults:
    def __init__(self, j):
        self.latencies, self.errors, self.seconds = j["latencies"], j["errors"], j["seconds"]


def percentile(values, p):
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))] if s else 0


def measured_round(args, cli, template, scans, case_token, token_sha, cases, documents,
                   clients, round_no):
    server = Server(cli, template, os.path.join(args.out, f"run-{clients}-{round_no}"), token_sha,
                    args.workers, args.request_priority)
    readers, proc = None, None
    stop_file = os.path.join(args.out, f"run-{clients}-{round_no}", "stop")
    try:
        if clients:
            proc = subprocess.Popen(
                ["nice", "-n", str(args.clients_nice), sys.executable, os.path.abspath(__file__),
                 "--reader-process", str(server.port), case_token, stop_file, str(clients),
                 str(args.think_ms), str(args.max_seconds), json.dumps(cases),
                 json.dumps(documents)], stdout=subprocess.PIPE, text=True)
            time.sleep(1)  # the clients are under way before the batch arrives
        server.drop(scans, "measured")
        until = time.monotonic() + args.max_seconds
        m = {}
        while time.monotonic() < until:
            m = server.metrics()
            if m.get("postmottak_batches_taken_total", 0) >= 1:
                break
            time.sleep(0.2)
        if proc:
            open(stop_file, "w").close()
            out, _ = proc.communicate(timeout=120)
            readers = ReaderResults(json.loads(out))
        if m.get("postmottak_batches_taken_total", 0) < 1:
            raise SystemExit("the batch was not taken in time; see " + server.log.name)
        return m["postmottak_intake_pages_per_second"], m["postmottak_pages_taken_total"], readers
    finally:
        server.stop()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.path.join(ROOT, "build", "bench-server"))
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--pages", type=int, default=120)
    ap.add_argument("--clients", type=int, default=4)
    ap.add_argument("--think-ms", type=int, default=0)
    ap.add_argument("--clients-nice", type=int, default=19)
    ap.add_argument("--request-priority", default="idle", choices=["idle", "low", "normal"])
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--max-seconds", type=int, default=900)
    ap.add_argument("--seed", type=int, default=20261201)
    args = ap.parse_args()

    cli = os.path.join(args.build, "cli", "postmottak")
    samples = os.path.join(args.build, "samples", "postmottak-samples")
    os.makedirs(args.out, exist_ok=True)
    template = os.path.join(args.out, "store")
    first, measured = os.path.join(args.out, "first"), os.path.join(args.out, "measured")
    if not os.path.exists(os.path.join(measured, "truth.json")):
        shutil.rmtree(template, ignore_errors=True)
        shutil.rmtree(first, ignore_errors=True)
        shutil.rmtree(measured, ignore_errors=True)
        log("generating two office batches; taking the first in")
        generate(samples, first, 40, args.seed, 6001)
        generate(samples, measured, args.pages, args.seed + 1, 7001)
        subprocess.run([cli, "--db", template, "--principal", "service:intake", "intake",
                        os.path.join(first, "scans")], check=True, stdout=subprocess.DEVNULL,
                       env=dict(os.environ, OMP_THREAD_LIMIT="1"))

    def tokens(principal):
        out = subprocess.run([cli, "token", "service", "--principal", principal], check=True,
                             capture_output=True, text=True).stdout.strip()
        return out, hashlib.sha256(out.encode()).hexdigest()

    case_token, case_sha = tokens("service:case-system")
    ARCHIVIST.append(tokens("user:arkiv")[0])
    listed = subprocess.run([cli, "--db", template, "--principal", "service:case-system", "--json",
                             "documents"], check=True, capture_output=True, text=True).stdout
    documents = [d["id"] for d in json.loads(listed) if d.get("case_id")]
    cases = sorted({d["case_id"] for d in json.loads(listed) if d.get("case_id")})
    if not documents:
        raise SystemExit("the first batch journaled no document on a case")

    results = {"machine": {"cores": os.cpu_count(), "platform": platform.platform()},
               "pages": None, "clients": args.clients, "think_ms": args.think_ms,
               "clients_nice": args.clients_nice, "request_priority": args.request_priority,
               "workers": args.workers, "rounds": []}
    best = {0: 0.0, args.clients: 0.0}
    api = None
    for round_no in range(args.rounds):
        for clients in (0, args.clients):
            rate, pages, readers = measured_round(args, cli, template, os.path.join(measured, "scans"),
                                                  case_token, case_sha, cases, documents, clients,
                                                  round_no)
            results["pages"] = int(pages)
            entry = {"round": round_no, "clients": clients, "intake_pages_per_second": round(rate, 3)}
            if readers:
                n = len(readers.latencies)
                entry.update({"requests": n, "requests_per_second": round(n / readers.seconds, 1),
                              "p50_ms": round(percentile(readers.latencies, 50) * 1000, 1),
                              "p99_ms": round(percentile(readers.latencies, 99) * 1000, 1),
                              "errors": len(readers.errors), "error_sample": readers.errors[:5]})
                if api is None or rate > best[clients]:
                    api = entry
            best[clients] = max(best[clients], rate)
            results["rounds"].append(entry)
            log(json.dumps(entry))
    ratio = best[args.clients] / best[0] if best[0] else 0
    results.update({"intake_alone": round(best[0], 3), "intake_with_readers": round(best[args.clients], 3),
                    "ratio": round(ratio, 3), "api": api,
                    "errors_total": sum(r.get("errors", 0) for r in results["rounds"])})
    with open(os.path.join(args.out, "results.json"), "w") as f:
        json.dump(results, f, indent=2)
    md = [f"| measure | value |", "|---|---|",
          f"| batch | {results['pages']} pages, {args.workers} workers |",
          f"| API clients | {args.clients}, think time {args.think_ms} ms, at nice {args.clients_nice} |",
          f"| server's request_priority | {args.request_priority} |",
          f"| intake alone | {best[0]:.2f} pages/s |",
          f"| intake with {args.clients} API clients | {best[args.clients]:.2f} pages/s "
          f"({ratio:.2f} ×) |",
          f"| API requests/s during intake | {api['requests_per_second']} |",
          f"| API latency p50 / p99 | {api['p50_ms']} ms / {api['p99_ms']} ms |",
          f"| API errors | {results['errors_total']} of {sum(r.get('requests', 0) for r in results['rounds'])} |"]
    with open(os.path.join(args.out, "results.md"), "w") as f:
        f.write("\n".join(md) + "\n")
    print("\n".join(md))


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--reader-process":
        reader_process(sys.argv[2:])
    else:
        main()
