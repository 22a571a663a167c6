# A wide sweep of standard library modules, and __main__'s own namespace.
import sys
print(list(globals()))
print(__builtins__, __spec__, __cached__, type(__loader__).__name__)
help(len)
import pydoc
print(pydoc.render_doc(str.upper, renderer=pydoc.plaintext)[:80])
import dis
dis.dis("x = a + 1")
import io
import tokenize
print([t.string for t in tokenize.generate_tokens(io.StringIO("a = 1").readline)][:3])
import gc
print(gc.isenabled(), type(gc.get_objects()).__name__)
import atexit
atexit.register(print, "atexit ran")
import locale
print(locale.getpreferredencoding(False))
import subprocess
print(subprocess.run([sys.executable, "-c", "import sys; print('child', sys.argv[1:])", "x"],
                     capture_output=True, text=True).stdout)
import pathlib
print(pathlib.Path("/a/b.txt").suffix, pathlib.PurePosixPath("x/y").parts)
import base64
import hashlib
import zlib
print(hashlib.sha256(b"x").hexdigest()[:8], base64.b64encode(b"hi"), zlib.crc32(b"x"), zlib.decompress(zlib.compress(b"z")))
import csv
csv.writer(sys.stdout).writerow(["a", "b,c"])
import argparse
parser = argparse.ArgumentParser(prog="x")
parser.add_argument("--n", type=int)
print(parser.parse_args(["--n", "3"]))
import array
print(array.array("i", [1, 2]))
import xml.etree.ElementTree as ET
print(ET.tostring(ET.fromstring("<a><b>t</b></a>")))
import sqlite3
print(sqlite3.connect(":memory:").execute("select 1+1").fetchone())
import ctypes
print(ctypes.c_int(3).value)
import html
print(html.escape("<&>"))
import calendar
print(calendar.isleap(2024), calendar.monthrange(2024, 2))
import signal
print(signal.SIGINT, signal.getsignal(signal.SIGINT))
import pprint
pprint.pprint({"a": list(range(30)), "b": {"c": "d" * 50}})
import shlex
print(shlex.split("a 'b c' d"))
import difflib
print(list(difflib.unified_diff(["a\n", "b\n"], ["a\n", "c\n"])))
import codecs
print(codecs.encode("abc", "rot13"), "x".encode("idna"), codecs.lookup("latin-1").name)
import unicodedata
print(unicodedata.name("é"), unicodedata.normalize("NFD", "é").encode())
import contextvars
var = contextvars.ContextVar("var", default=1)
ctx = contextvars.copy_context()
print(ctx.run(lambda: (var.set(5), var.get())[1]), var.get())
import graphlib
print(list(graphlib.TopologicalSorter({"b": {"a"}, "c": {"b"}}).static_order()))
import zoneinfo
print(zoneinfo.ZoneInfo("UTC"))
import ipaddress
print(ipaddress.ip_network("10.0.0.0/30").num_addresses)
