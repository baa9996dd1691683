"""`python -m imagegen_spec.generate [--check] [--variant V] [--force]`: regenerate or check.

A variant whose spec, configuration, generator versions and files all match the manifest is
skipped without running a generator. The others are generated into a temporary folder: without
`--check` the result replaces `generated/<variant>/` and the manifest is updated; with `--check`
it is only compared with what is there, and each stale variant is named with what differs.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from imagegen_spec.core.specs import SPEC_DIR, folder_variants
from imagegen_spec.generate.check import Inputs, diff_files, stale_reasons
from imagegen_spec.generate.config import (
    FIX_COMMAND,
    GENERATED_DIR,
    MANIFEST_NAME,
    GenerateError,
    Names,
    checked_generator_versions,
    config_sha256,
)
from imagegen_spec.generate.manifest import (
    Record,
    file_hashes,
    read_manifest,
    spec_record,
    variant_record,
    write_manifest,
)
from imagegen_spec.generate.run import generate_variants
from imagegen_spec.shared.outputs import ensure_writable, os_reason


@dataclass(frozen=True)
class Plan:
    """Which variants to look at, and what each would be generated from."""

    spec_dir: Path
    out_dir: Path
    inputs: dict[str, Inputs]
    records: dict[str, Record]
    leftovers: tuple[str, ...]


def _shown(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _fix_command(args: argparse.Namespace) -> str:
    extra = []
    if args.spec_dir.resolve() != SPEC_DIR.resolve():
        extra += ["--spec-dir", _shown(args.spec_dir)]
    if args.out.resolve() != GENERATED_DIR.resolve():
        extra += ["--out", _shown(args.out)]
    return FIX_COMMAND + (" -- " + " ".join(extra) if extra else "")


def _unwritable(path: Path, error: OSError) -> GenerateError:
    return GenerateError(f"--out: {_shown(path)} cannot be written: {os_reason(error)}")


def _check_writable(out_dir: Path) -> None:
    """Create the output folder and make sure files can be written in it."""
    try:
        ensure_writable(out_dir)
    except OSError as error:
        raise _unwritable(out_dir, error) from None


def _plan(args: argparse.Namespace) -> Plan:
    spec_dir, out_dir = args.spec_dir.resolve(), args.out.resolve()
    if not args.check:
        _check_writable(out_dir)  # before the generators run
    known = folder_variants(spec_dir)
    if not known:
        raise GenerateError(f"no spec (*.yaml) in {_shown(spec_dir)}")
    unknown = sorted(set(args.variant or ()) - set(known))
    if unknown:
        raise GenerateError(f"unknown variant {', '.join(unknown)}; known: {', '.join(known)}")
    chosen = tuple(sorted(set(args.variant))) if args.variant else known
    generators = checked_generator_versions()
    inputs = {
        variant: Inputs(
            spec=spec_record(spec_dir / f"{variant}.yaml"),
            generators=generators,
            config_sha256=config_sha256(Names(variant)),
        )
        for variant in chosen
    }
    records = read_manifest(out_dir)
    leftovers = () if args.variant else tuple(sorted(set(records) - set(known)))
    return Plan(spec_dir, out_dir, inputs, records, leftovers)


def _stale(plan: Plan, force: bool) -> dict[str, list[str]]:
    """Return the variants to generate, with why (no reason: forced)."""
    todo = {}
    for variant, inputs in plan.inputs.items():
        folder = plan.out_dir / variant
        reasons = stale_reasons(
            plan.records.get(variant), inputs, file_hashes(folder), _shown(folder)
        )
        if reasons or force:
            todo[variant] = reasons
    return todo


def _replace(target: Path, folder: Path) -> None:
    """Replace `target` by a copy of `folder`."""
    try:
        if target.is_dir() and not target.is_symlink():
            shutil.rmtree(target)
        elif target.exists() or target.is_symlink():
            target.unlink()
        shutil.copytree(folder, target)
    except OSError as error:
        raise _unwritable(Path(error.filename) if error.filename else target, error) from None


def _generate(plan: Plan, todo: dict[str, list[str]]) -> None:
    records = dict(plan.records)
    with tempfile.TemporaryDirectory(prefix="imagegen-generate-") as staging:
        staged = generate_variants(plan.spec_dir, list(todo), Path(staging))
        for variant, folder in staged.items():
            target = plan.out_dir / variant
            _replace(target, folder)
            inputs = plan.inputs[variant]
            records[variant] = variant_record(
                inputs.spec, inputs.generators, inputs.config_sha256, file_hashes(target)
            )
    for variant in plan.leftovers:
        shutil.rmtree(plan.out_dir / variant, ignore_errors=True)
        del records[variant]
        print(f"{variant}: removed {_shown(plan.out_dir / variant)} (its spec is gone)")
    for variant in plan.inputs:
        if variant in todo:
            why = "; ".join(todo[variant]) or "forced"
            print(f"{variant}: regenerated ({why})")
        else:
            print(f"{variant}: up to date")
    try:
        wrote = write_manifest(plan.out_dir, records)
    except OSError as error:
        raise _unwritable(plan.out_dir / MANIFEST_NAME, error) from None
    if wrote:
        print(f"wrote {_shown(plan.out_dir / MANIFEST_NAME)}")


def _check(plan: Plan, todo: dict[str, list[str]], fix_command: str) -> int:
    problems: dict[str, list[str]] = {}
    with tempfile.TemporaryDirectory(prefix="imagegen-check-") as staging:
        staged = generate_variants(plan.spec_dir, list(todo), Path(staging))
        for variant, folder in staged.items():
            on_disk = plan.out_dir / variant
            diff = diff_files(file_hashes(folder), file_hashes(on_disk))
            lines = todo[variant] + diff.lines(_shown(on_disk))
            if lines:
                problems[variant] = lines
    for variant in plan.leftovers:
        problems[variant] = [
            f"its spec is gone, but {_shown(plan.out_dir / variant)} and its manifest entry remain"
        ]
    if not problems:
        print(f"{_shown(plan.out_dir)} is up to date ({', '.join(plan.inputs)})")
        return 0
    report = [f"{_shown(plan.out_dir)} is stale for {', '.join(sorted(problems))}:"]
    for variant in sorted(problems):
        report.append(f"  {variant}:")
        report += [f"    - {line}" for line in problems[variant]]
    report.append(f"Fix: run `{fix_command}`, then commit {_shown(plan.out_dir)}/.")
    print("\n".join(report), file=sys.stderr)
    return 1


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(
        prog="python -m imagegen_spec.generate",
        description="Generate pydantic models and typed clients from the specs into generated/.",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="change nothing; exit 1 naming each stale variant and what differs",
    )
    parser.add_argument(
        "--variant",
        action="append",
        metavar="V",
        help="only this variant (repeatable; default: every spec)",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="run the generators even for variants the manifest shows up to date",
    )
    parser.add_argument(
        "--spec-dir", type=Path, default=SPEC_DIR, help="folder of the specs (default: spec/)"
    )
    parser.add_argument(
        "--out", type=Path, default=GENERATED_DIR, help="output folder (default: generated/)"
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code (0 ok, 1 stale, 2 error)."""
    args = parse_args(argv)
    started = time.perf_counter()
    try:
        plan = _plan(args)
        todo = _stale(plan, args.force)
        if args.check:
            code = _check(plan, todo, _fix_command(args))
        else:
            _generate(plan, todo)
            code = 0
    except GenerateError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"({time.perf_counter() - started:.2f} s)")
    return code
