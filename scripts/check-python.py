"""Byte-compiles the Python package jsii-pacmak generated, so a binding that would not import fails CI.

Building the wheel needs the Python package index, which this machine cannot reach: a release pipeline runs
`jsii-pacmak --targets python` (without --code-only) and publishes dist/python/*.whl.
"""
import pathlib
import py_compile
import sys

root = pathlib.Path(sys.argv[1])
files = sorted(root.rglob("*.py"))
if not files:
    sys.exit(f"no Python sources under {root}")
for f in files:
    py_compile.compile(str(f), doraise=True)
init = (root / "src" / "cdk_a4b_rooms" / "__init__.py").read_text()
for cls in ("Room", "RoomProfile", "SkillGroup", "Office365CalendarLink", "RoomInventory", "DriftMonitor"):
    if f"class {cls}(" not in init:
        sys.exit(f"the Python binding has no class {cls}")
print(f"python: {len(files)} files compile; the binding has the construct classes")
