#!/usr/bin/env python3
"""Writes fuzz/corpus/TARGET/ seed inputs from the unit tests' fixtures (string literals of the test
files named below) plus a few hand-made layers. Run from the repository root; re-running is harmless
(files are named by content hash). Inputs the fuzzers found stay in fuzz/crashes/, not here."""
import gzip, hashlib, io, os, re, struct, tarfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HEX = "0123456789abcdef" * 4


def unescape(s):
    """C# escapes (\\n, \\", \\uXXXX) in a regular literal."""
    return re.sub(r'\\(u[0-9a-fA-F]{4}|.)', lambda m: chr(int(m.group(1)[1:], 16)) if m.group(1)[0] == "u" and len(m.group(1)) == 5
                  else {"n": "\n", "r": "\r", "t": "\t", "0": "\0"}.get(m.group(1), m.group(1)), s)


def literals(path):
    """C# regular, verbatim and raw string literals of a test file, unescaped; {interpolations} replaced by a digest."""
    text = open(os.path.join(ROOT, path), encoding="utf-8").read()
    out = []
    for m in re.finditer(r'\$?"""(.*?)"""|\$?@"((?:[^"]|"")*)"|\$?"((?:[^"\\\n]|\\.)*)"', text, re.S):
        raw, verbatim, regular = m.groups()
        if raw is not None:
            s = raw
        elif verbatim is not None:
            s = verbatim.replace('""', '"')
        else:
            s = unescape(regular)
        out.append(re.sub(r"\{[A-Za-z][^{}]*\}", "sha256:" + HEX, s) if m.group(0).startswith("$") else s)
    return out


def save(target, data):
    if isinstance(data, str):
        data = data.encode("utf-8")
    d = os.path.join(ROOT, "fuzz", "corpus", target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, hashlib.sha256(data).hexdigest()[:16]), "wb") as f:
        f.write(data)


def tar(entries, fmt=tarfile.PAX_FORMAT):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=fmt) as t:
        for name, kind, payload in entries:
            info = tarfile.TarInfo(name)
            info.mtime = 1700000000
            if kind == "dir":
                info.type, info.mode = tarfile.DIRTYPE, 0o755
                t.addfile(info)
            elif kind == "sym":
                info.type, info.linkname = tarfile.SYMTYPE, payload
                t.addfile(info)
            elif kind == "hard":
                info.type, info.linkname = tarfile.LNKTYPE, payload
                t.addfile(info)
            else:
                info.size, info.mode = len(payload), 0o644
                t.addfile(info, io.BytesIO(payload))
    return buf.getvalue()


def layers():
    yield tar([("etc", "dir", None), ("etc/hostname", "file", b"strata\n"), ("bin", "dir", None), ("bin/sh", "sym", "busybox"), ("bin/busybox", "file", b"\x7fELF" + b"\0" * 60), ("bin/ls", "hard", "bin/busybox")])
    yield tar([("a", "dir", None), ("a/.wh.b", "file", b""), ("a/.wh..wh..opq", "file", b""), ("c/d", "file", b"x")])
    yield tar([("long/" + "n" * 150 + "/" + "m" * 120, "file", b"long pax name")])
    yield tar([("gnu/" + "g" * 200, "file", b"gnu long name"), ("lnk", "sym", "t" * 180)], tarfile.GNU_FORMAT)
    yield tar([("ustar/file", "file", b"plain ustar"), ("etc/resolv.conf", "sym", "../../../tmp/x"), ("abs", "sym", "/etc/passwd")], tarfile.USTAR_FORMAT)
    yield tar([("./dot/./slash//file", "file", b"normalised"), ("dot/../up", "file", b"climb")])
    yield gzip.compress(tar([("gz/file", "file", b"gzip layer" * 20)]), mtime=0)
    yield b"\0" * 1024  # just the end-of-archive marker


def main():
    for s in literals("tests/Strata.Oci.Tests/ReferenceTests.cs") + [f"busybox@sha256:{HEX}", f"host:5000/a/b:v2@sha256:{HEX}"]:
        save("reference", s)
    for s in literals("tests/Strata.Oci.Tests/DigestTests.cs") + [f"sha256:{HEX}", "sha512:" + HEX * 2]:
        save("digest", s)
    for s in literals("tests/Strata.Oci.Tests/ManifestTests.cs"):
        if s.lstrip().startswith("{"):
            save("oci", s)
    for s in literals("tests/Strata.Build.Tests/Parsing/DockerfileParserTests.cs"):
        if "\n" in s or re.match(r"(?i)\s*(FROM|RUN|CMD|HEALTHCHECK|COPY|ADD|ENV|ARG)\b", s):
            save("dockerfile", s)
    ignore_rows = re.findall(r'\[InlineData\("((?:[^"\\]|\\.)*)", "((?:[^"\\]|\\.)*)"', open(os.path.join(ROOT, "tests/Strata.Build.Tests/Context/DockerIgnoreTests.cs")).read())
    for pattern, path in ignore_rows:
        save("dockerignore", unescape(path) + "\n" + unescape(pattern))
    for s in literals("tests/Strata.Registry.Tests/Server/DistributionApiTests.cs"):
        if s.startswith("/v2/"):
            save("route", s[4:].split("?")[0])
    for size, header in [(100, "0-99"), (100, "bytes 0-49/100"), (100, "bytes=0-"), (100, "bytes=-10"), (100, "bytes=5-9"), (0, "bytes=0-0"), (2**62, "bytes 10-20/*")]:
        save("content-range", struct.pack("<q", size) + header.encode())
    for blob in layers():
        save("tar", blob)
        save("layer", blob)


main()
