"""compass.digest: the same sha256 as hashlib, without loading OpenSSL on the start path."""

from __future__ import annotations

import hashlib
import subprocess
import sys

from compass.digest import LARGE, sha256


def test_the_same_digests_as_hashlib_small_and_large() -> None:
    for data in (b"", b"abc", bytes(range(256)) * 40, b"x" * LARGE, b"y" * (LARGE + 1)):
        assert sha256(data).hexdigest() == hashlib.sha256(data).hexdigest()
        h, ref = sha256(data), hashlib.sha256(data)
        h.update(b"more")
        ref.update(b"more")
        assert h.digest() == ref.digest()


def test_opening_from_the_cache_does_not_load_openssl(tmp_path) -> None:
    """`import hashlib` costs ~3.5 MiB of resident memory (libcrypto) on every start."""
    from compass.pack import load_pack
    from compass.state import StateStore, create_state

    path = tmp_path / "wijkkompas.yaml"
    create_state(path, load_pack(), name="Digest")
    StateStore(path, load_pack()).load()  # both caches filled, as on every start after the first
    code = (
        "import sys; from compass.pack import load_pack; from compass.state import StateStore; "
        f"s = StateStore({str(path)!r}, load_pack()).load(); "
        "print('hashlib' in sys.modules, '_hashlib' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]
