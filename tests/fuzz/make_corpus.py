#!/usr/bin/env python3
"""Writes the fuzz targets' seed corpus, tests/fuzz/corpus/<target>/.

Run from the repository root after building wiresim (build/sim/cli/wiresim):
    python3 tests/fuzz/make_corpus.py [path/to/wiresim]
It runs the shipped scenarios into a temporary folder for our own captures,
takes HTTP messages out of those and of tests/fidelity/captures with tshark,
and cuts captures short with editcap (first frames, 128-byte snap length) so
the seeds stay small: fuzzing is fastest on small inputs. Seeds found by
fuzzing that crashed once (regressions) live beside these and are kept:
this script only (re)writes files whose names start with "seed-".
Needs: tshark, editcap (package tshark).
"""
import glob
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile

ROOT = os.getcwd()
CORPUS = os.path.join(ROOT, "tests", "fuzz", "corpus")
FIDELITY = os.path.join(ROOT, "tests", "fidelity", "captures")
BODY_CAP = 768  # bytes of a body kept in an HTTP seed (Content-Length rewritten)


def put(target, name, data):
    folder = os.path.join(CORPUS, target)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "seed-" + name), "wb") as f:
        f.write(data)


def run(*args):
    return subprocess.run(args, check=True, capture_output=True).stdout


def follow(capture, stream):
    """(client bytes, server bytes) of TCP stream `stream`, or None."""
    out = run("tshark", "-r", capture, "-q", "-z", f"follow,tcp,raw,{stream}").decode()
    client, server = bytearray(), bytearray()
    seen = False
    for line in out.splitlines():
        body = line.strip()
        if not re.fullmatch(r"[0-9a-f]+", body) or len(body) % 2:
            continue
        seen = True
        (server if line.startswith("\t") else client).extend(bytes.fromhex(body))
    return (bytes(client), bytes(server)) if seen else None


def split_responses(stream):
    """The responses of a server stream, bodies cut to BODY_CAP bytes."""
    out = []
    while stream.startswith(b"HTTP/"):
        head_end = stream.find(b"\r\n\r\n")
        if head_end < 0:
            break
        head = stream[: head_end + 4]
        m = re.search(rb"(?i)\r\ncontent-length: *(\d+)", head)
        length = int(m.group(1)) if m else 0
        body = stream[head_end + 4 : head_end + 4 + length]
        stream = stream[head_end + 4 + length :]
        if len(body) > BODY_CAP:
            body = body[:BODY_CAP]
            head = head[: m.start(1)] + str(BODY_CAP).encode() + head[m.end(1) :]
        out.append(head + body)
    return out


def http_seeds(captures):
    n = 0
    for cap in captures:
        for stream in range(3):
            pair = follow(cap, stream)
            if not pair:
                break
            client, server = pair
            tag = f"{os.path.splitext(os.path.basename(cap))[0]}-{stream}"
            if client.startswith((b"GET", b"HEAD", b"POST")):
                # request parser; finish(); split sizes 1, 7, 64
                put("fuzz_http_parser", f"req-{tag}", bytes([2, 0, 3, 0, 6, 63]) + client)
                put("fuzz_http_parser", f"req-whole-{tag}", bytes([0, 0, 0]) + client)
            responses = split_responses(server)
            for i, r in enumerate(responses):
                put("fuzz_http_parser", f"resp-{tag}-{i}", bytes([1 | 2 | (1 << 2), 0, 2, 3, 40]) + r)
            if len(responses) > 1:
                k = min(len(responses), 7)
                put("fuzz_http_parser", f"resp-pipelined-{tag}",
                    bytes([1 | (k << 2), 0, 1, 200]) + b"".join(responses[:k]))
            n += 1
    # A HEAD answered with a Content-Length and no body, a chunked response with trailers.
    put("fuzz_http_parser", "resp-head", bytes([1 | 2 | (1 << 2), 1, 0]) +
        b"HTTP/1.1 200 OK\r\nContent-Length: 407\r\nContent-Type: text/html\r\n\r\n")
    put("fuzz_http_parser", "resp-chunked", bytes([1 | 2 | (1 << 2), 0, 1, 4]) +
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n1a;ext=1\r\n"
        b"abcdefghijklmnopqrstuvwxyz\r\n0\r\nTrailer-Field: x\r\n\r\n")
    put("fuzz_http_parser", "resp-interim-close", bytes([1 | 2 | (1 << 2), 0, 0]) +
        b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.0 200 OK\r\nServer: x\r\n\r\nbody until close")
    return n


def html_css_seeds():
    url = b"http://10.130.197.105:24/\n"
    index = open(os.path.join(ROOT, "scenarios", "sites", "lab", "index.html"), "rb").read()
    put("fuzz_html_css", "lab-index", bytes([0, 0]) + url + index)
    put("fuzz_html_css", "lab-index-split", bytes([0, 3, 0, 9, 30]) + url + index)
    html = (b"<!doctype html><html><head><base href=\"/static/v2/\">"
            b"<link rel=stylesheet href='main.css?x=1&amp;y=2'><link rel=\"icon\" href=favicon.ico>"
            b"<style>body{background:url( \"bg.png\" )} @import 'more.css'; /* url(no.png) */</style>"
            b"<script src=\"app.js\"></script><script>var s='<img src=no.png>';</script>"
            b"<!-- <img src=\"commented.png\"> --><title><img src=t.png></title></head>"
            b"<body background=\"..\\back.gif\"><img SRC=\"a%7eb/../c.jpg#frag\" src=dup.png>"
            b"<div style=\"background-image:url(d\\29 .png)\"></div><img src='http://Other.Example:80/x'>"
            b"<img src=\"&#x2F;abs&#47;p.png\"><img src=\"  \t/sp ace.png\n\"></body></html>")
    put("fuzz_html_css", "tags", bytes([0, 2, 5, 17]) + b"http://www.example.com:8080/a/b/page.html?q=1\n" + html)
    css = (b"@charset \"utf-8\";\n@import url(\"reset.css\") screen;\n@import 'theme.css';\n"
           b".a{background:url(img/a.png) no-repeat}\n.b{background:url( 'img/b\\'q.png' )}\n"
           b".c{background:url(\"img/c.png\")}/* url(skip.png) */\n.d{src:url(fonts/x.woff2?#iefix)}\n"
           b".e{background:url(bad url.png)}\n.f{content:\"url(not.png)\"}\n.g{background:URL(upper.png)}\n"
           b".h{background:url(\\68 ex.png)}\n.i{background:url(../../up.png)}\n")
    put("fuzz_html_css", "css", bytes([1, 0]) + b"http://10.0.0.2:24/styles/site.css\n" + css)
    put("fuzz_html_css", "css-split", bytes([1, 2, 0, 3]) + b"http://10.0.0.2/s.css\n" + css)
    put("fuzz_html_css", "css-unterminated", bytes([1, 0]) + b"http://h/\n.x{background:url(open.png")


def editcap(src, dst, *args):
    run("editcap", *args, src, dst)
    return open(dst, "rb").read()


def capture_seeds(tmp, own):
    # (capture, snap length, frames kept or None for all)
    picks = [
        (os.path.join(own, "teardown", "client.pcapng"), 128, None),
        (os.path.join(own, "lab-http", "client.pcapng"), 160, "1-40"),
        (os.path.join(own, "fast-retransmit", "link.pcapng"), 96, None),
        (os.path.join(own, "lossy-compare", "client.pcapng"), 80, "1-60"),
        (os.path.join(FIDELITY, "chromium-imageonly-preconnect-idle_d20_l0.pcap"), 128, None),
        (os.path.join(FIDELITY, "curl-seq_d20_l2_s3.pcap"), 96, "1-60"),
        (os.path.join(FIDELITY, "chromium_d20_l2_s1.pcap"), 96, "1-50"),
    ]
    frames = []
    for src, snap, frame_range in picks:
        stem, ext = os.path.splitext(os.path.basename(src))
        name = (os.path.basename(os.path.dirname(src)) + "-" + stem if src.startswith(own) else stem) + ext
        args = ["-s", str(snap)] + (["-r"] if frame_range else [])
        dst = os.path.join(tmp, name)
        run("editcap", *args, src, dst, *([frame_range] if frame_range else []))
        data = open(dst, "rb").read()
        for target in ("fuzz_capture_reader", "fuzz_explain"):
            put(target, name, data)
        whole = pcap_frames(editcap(src, dst + ".pcap", "-F", "pcap"))
        frames.extend([f for f in whole if len(f) <= 600][:10])
    # A nanosecond pcap, for the reader's other path.
    ns = editcap(picks[0][0], os.path.join(tmp, "ns.pcap"), "-F", "nsecpcap", "-s", "128")
    put("fuzz_capture_reader", "teardown-nsec.pcap", ns)
    put("fuzz_explain", "teardown-nsec.pcap", ns)
    # Ethernet frames for the wire target (SYNs with options, data, SACKs, FINs), each once.
    seen = set()
    for i, f in enumerate(frames):
        if f in seen:
            continue
        seen.add(f)
        put("fuzz_wire", f"frame-{i:03d}", f)


def pcap_frames(data):
    """The frames of a classic little-endian microsecond pcap."""
    out, off = [], 24
    while off + 16 <= len(data):
        incl = struct.unpack_from("<I", data, off + 8)[0]
        out.append(data[off + 16 : off + 16 + incl])
        off += 16 + incl
    return out


def scenario_seeds():
    for path in sorted(glob.glob(os.path.join(ROOT, "scenarios", "*.yaml"))):
        name = os.path.basename(path)
        text = open(path, "rb").read()
        put("fuzz_scenario_loader", name, text)
    lab = open(os.path.join(ROOT, "scenarios", "lab-http.yaml"), "rb").read()
    put("fuzz_scenario_loader", "lab-http-set.yaml",
        b"#--set links.lan.loss=2%\n#--set hosts.client.tcp.profile=linux\n"
        b"#--set apps.browser.max_connections=1\n#--set links.lan.drop.0.nth=3\n#--seed 7\n" + lab)
    put("fuzz_scenario_loader", "lab-http-set-bad.yaml",
        b"#--set links.lann.loss=2%\n#--set hosts.client.tcp={ profile: bsd }\n#--set seed=x\n" + lab)


def main():
    wiresim = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build", "sim", "cli", "wiresim")
    for target in glob.glob(os.path.join(CORPUS, "*")):
        for old in glob.glob(os.path.join(target, "seed-*")):
            os.remove(old)
    with tempfile.TemporaryDirectory() as tmp:
        own = os.path.join(tmp, "own")
        for path in sorted(glob.glob(os.path.join(ROOT, "scenarios", "*.yaml"))):
            name = os.path.splitext(os.path.basename(path))[0]
            if name in ("bulk", "dumbbell"):
                continue  # 20 MB captures; the others show the same formats
            run(wiresim, "run", path, "--out", os.path.join(own, name), "--quiet")
        capture_seeds(tmp, own)
        http_seeds([os.path.join(own, "lab-http", "client.pcapng"),
                    os.path.join(FIDELITY, "chromium_d20_l0.pcap"),
                    os.path.join(FIDELITY, "curl-par6_d20_l0.pcap")])
    html_css_seeds()
    scenario_seeds()


if __name__ == "__main__":
    main()
