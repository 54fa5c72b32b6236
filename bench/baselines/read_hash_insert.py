"""Baseline for `qcode import DIR`: read each file, sha256 it, insert it into SQLite.

    python -m bench.baselines.read_hash_insert DIR DATABASE
"""

import hashlib
import sqlite3
import sys
from pathlib import Path

folder, database = Path(sys.argv[1]), sys.argv[2]
conn = sqlite3.connect(database)
conn.execute("CREATE TABLE IF NOT EXISTS document (name TEXT PRIMARY KEY, text TEXT, sha256 TEXT)")
with conn:
    for path in sorted(folder.glob("*.txt")):
        text = path.read_bytes().decode("utf-8")
        conn.execute("INSERT INTO document VALUES (?, ?, ?)",
                     (path.stem, text, hashlib.sha256(text.encode("utf-8")).hexdigest()))
conn.close()
