"""The core knows nothing of the UI: importing all of compass/ loads no textual or rich."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import compass


def test_core_imports_no_ui() -> None:
    modules = [m.name for m in pkgutil.walk_packages(compass.__path__, "compass.")]
    assert "compass.state" in modules or "compass.pack" in modules
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        "bad = sorted(n for n in sys.modules if n.split('.')[0] in ('textual', 'rich', 'tui'))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"compass imported UI modules: {out.stdout}"


def test_cli_without_app_does_not_load_textual(mini_pack_dir) -> None:
    code = (
        "import sys\nfrom tui.launcher import TuiHooks\nfrom compass.commands.parser import main\n"
        f"main(['list', '--pack', {str(mini_pack_dir)!r}], ui=TuiHooks())\n"
        "print('textual' in sys.modules, file=sys.stderr)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stderr.strip() == "False"
