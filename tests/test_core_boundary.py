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


def test_no_import_cycles() -> None:
    """No module reaches itself through its imports, not even for type checking."""
    import grimp

    graph = grimp.build_graph("compass", "tui", exclude_type_checking_imports=False)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(v: str) -> None:  # Tarjan's strongly connected components
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.find_modules_directly_imported_by(v):
            if w not in graph.modules:
                continue
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    assert cycles == []
