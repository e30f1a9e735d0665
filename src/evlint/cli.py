"""The `evlint` command: parses options, calls the pipeline, picks the output."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from evlint import __version__
from evlint.cli_common import (
    EXIT_CLEAN,
    EXIT_ERROR,
    EXIT_FINDINGS,
    fail,
    no_project_index_option,
    rules_dir_option,
)
from evlint.cli_entrypoints import entrypoints_command
from evlint.cli_options import config_file_and_overrides, settings_options
from evlint.cli_report import report_command
from evlint.config import SEVERITIES
from evlint.gcpause import freeze_what_lives_to_the_end
from evlint.interrupt import InterruptibleGroup, remember_debug
from evlint.model import EvlintError, Rule
from evlint.output import FORMATS

if TYPE_CHECKING:
    from evlint.api import Configuration
    from evlint.config import CliOverrides
    from evlint.model import CheckResult


def _codes(_ctx: click.Context, _param: click.Parameter, values: tuple[str, ...]) -> tuple[str, ...]:
    """`--select A,B --select C` as ('A', 'B', 'C')."""
    return tuple(code.strip() for value in values for code in value.split(",") if code.strip())


def run() -> None:
    """The `evlint` command as its own process (a caller in-process calls `main`)."""
    freeze_what_lives_to_the_end()
    main()


@click.group(cls=InterruptibleGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="evlint")
def main() -> None:
    """evlint: find, police and remove eventlet usage."""
    from evlint.fsnames import pass_undecodable_names

    pass_undecodable_names()


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--select",
    multiple=True,
    callback=_codes,
    help="Rule codes or prefixes to enable (replaces the config's select).",
)
@click.option(
    "--extend-select", multiple=True, callback=_codes, help="Rule codes or prefixes to enable in addition."
)
@click.option("--ignore", multiple=True, callback=_codes, help="Rule codes or prefixes to disable.")
@click.option(
    "--config",
    "config_values",
    multiple=True,
    help="A pyproject.toml (or evlint.toml) to use instead of the nearest one, or a `KEY = VALUE`"
    " TOML line that overrides a [tool.evlint] key (repeatable).",
)
@rules_dir_option
@click.option(
    "--output-format",
    type=click.Choice(FORMATS),
    default="text",
    show_default=True,
    help="How findings are printed.",
)
@click.option(
    "-o",
    "--output-file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write the findings to FILE (replaced atomically) instead of standard output.",
)
@click.option("-e", "--exit-zero", is_flag=True, help="Exit 0 even when there are findings.")
@click.option(
    "--exit-non-zero-on-fix", is_flag=True, help="Exit 1 when fixes were applied, even if nothing remains."
)
@click.option(
    "--fail-on",
    type=click.Choice(SEVERITIES),
    help="The lowest severity that makes the run fail (config `fail-on`; default: error).",
)
@click.option(
    "--statistics", is_flag=True, help="Show only the number of findings per rule (a JSON list with json)."
)
@click.option("--color/--no-color", "color", default=None, help="Colour or not (default: on a terminal).")
@click.option("-q", "--quiet", is_flag=True, help="Print the findings only, no summary.")
@click.option("-s", "--silent", is_flag=True, help="Print nothing; the exit code still tells.")
@click.option(
    "--force-exclude", is_flag=True, help="Apply exclude patterns to files named on the command line too."
)
@click.option("--fix/--no-fix", default=False, help="Apply the safe fixes and report what remains.")
@click.option(
    "--unsafe-fixes/--no-unsafe-fixes",
    default=False,
    help="Also apply (with --fix/--diff) and count the unsafe fixes.",
)
@click.option("--fix-only", is_flag=True, help="Apply the fixes and report nothing that remains.")
@click.option("--show-fixes/--no-show-fixes", default=False, help="List the fixes applied, by file and rule.")
@click.option("--diff", is_flag=True, help="Print the fixes as a unified diff; write nothing.")
@click.option("--ignore-noqa", is_flag=True, help="Report what `# noqa` comments suppress.")
@click.option("--add-noqa", is_flag=True, help="Add `# noqa: CODE` to each line with findings, and exit.")
@click.option(
    "--stdin-filename",
    type=click.Path(path_type=Path),
    help="With PATH `-`: the name of the file read from standard input, for config and reports.",
)
@click.option(
    "--baseline",
    "baseline_path",
    type=click.Path(path_type=Path),
    help="Report only findings not recorded in this baseline file (config key `baseline`).",
)
@click.option(
    "--write-baseline",
    "write_baseline_path",
    type=click.Path(path_type=Path),
    help="Record the current findings in this baseline file and exit 0.",
)
@no_project_index_option
@click.option("-n", "--no-cache", is_flag=True, help="Neither read nor write the result and rule caches.")
@click.option(
    "--isolated", is_flag=True, help="Read no configuration file: defaults and the command line only."
)
@click.option(
    "--show-settings",
    is_flag=True,
    help="Print the settings and rules that apply to the first path, and exit.",
)
@click.option("--show-files", is_flag=True, help="Print the files that would be checked, and exit.")
@click.option(
    "--debug",
    is_flag=True,
    callback=remember_debug,
    help="Show the traceback of internal errors (EVL003) on stderr.",
)
@settings_options
def check(
    paths: tuple[Path, ...],
    select: tuple[str, ...],
    extend_select: tuple[str, ...],
    ignore: tuple[str, ...],
    config_values: tuple[str, ...],
    rules_dirs: tuple[Path, ...],
    output_format: str,
    output_file: Path | None,
    exit_zero: bool,
    exit_non_zero_on_fix: bool,
    fail_on: str | None,
    statistics: bool,
    color: bool | None,
    quiet: bool,
    silent: bool,
    force_exclude: bool,
    fix: bool,
    unsafe_fixes: bool,
    fix_only: bool,
    show_fixes: bool,
    diff: bool,
    ignore_noqa: bool,
    add_noqa: bool,
    stdin_filename: Path | None,
    baseline_path: Path | None,
    write_baseline_path: Path | None,
    no_project_index: bool,
    no_cache: bool,
    isolated: bool,
    show_settings: bool,
    show_files: bool,
    debug: bool,
    settings_toml: tuple[str, ...],
    cache_dir: Path | None,
) -> None:
    """Check PATHS (default: the current directory) for eventlet usage; `-` reads standard input."""
    from evlint.api import CheckOptions, check, check_source, exit_code
    from evlint.check_output import (
        Presentation,
        add_noqa_and_exit,
        present,
        report_diff,
        show,
        write_fixed_stdin,
    )
    from evlint.config import CliOverrides
    from evlint.runner.fixing import FixMode

    stdin_path = _stdin_path(paths, stdin_filename)
    stdin_source = b""
    targets = (stdin_path,) if stdin_path else paths or (Path("."),)
    config_path, inline = config_file_and_overrides(config_values)
    overrides = CliOverrides(
        config=config_path,
        select=select or None,
        extend_select=extend_select,
        ignore=ignore,
        rules_dirs=rules_dirs,
        force_exclude=force_exclude,
        baseline=baseline_path,
        project_index=False if no_project_index else None,
        inline=(*settings_toml, *inline),
        fail_on=fail_on,
        isolated=isolated,
        cache_dir=cache_dir,
    )
    fix = fix or fix_only
    fix_mode = FixMode(unsafe=unsafe_fixes, write=not diff) if fix or diff else None
    try:
        configuration = _load(targets[0], overrides, use_cache=not no_cache)
        if show_settings or show_files:
            show(configuration, targets, settings=show_settings)
        if stdin_path:
            stdin_source = sys.stdin.buffer.read()
            stdin_fix = FixMode(unsafe=unsafe_fixes, write=False) if fix_mode is not None else None
            result = check_source(stdin_path, stdin_source, overrides, stdin_fix, configuration)
        else:
            options = CheckOptions(fix_mode=fix_mode, use_cache=not no_cache, suppress=not ignore_noqa)
            result = check(targets, overrides, options, configuration)
        _debug_stats(result)
        if write_baseline_path is not None:
            from evlint.baseline import write_baseline  # it imports the engine: not on a warm run

            count = write_baseline(write_baseline_path, result)
            click.echo(f"Wrote {count} finding{'s' if count != 1 else ''} to {write_baseline_path}", err=True)
            sys.exit(EXIT_CLEAN)
        if configuration.settings.baseline is not None:
            from evlint.baseline import suppress_known

            result = suppress_known(result, configuration.settings.baseline, configuration.rules)
    except EvlintError as error:
        fail(error)
    _warn_about_files(result, debug=debug)
    if add_noqa and not stdin_path:
        add_noqa_and_exit(result)
    if diff:
        report_diff(result, quiet=quiet)
        pending = result.fixed or any(file.fix_error for file in result.files)  # (a diff not shown too)
        sys.exit(EXIT_FINDINGS if pending and not exit_zero else EXIT_CLEAN)
    if stdin_path and fix:  # ruff's convention: the fixed code on stdout, the findings on stderr
        write_fixed_stdin(result, stdin_source)
    presentation = Presentation(
        output_format,
        output_file,
        color,
        quiet or silent,
        silent,
        statistics,
        unsafe_fixes,
        show_fixes,
        fix_only,
    )
    try:
        shown = present(result, configuration, presentation, to_stderr=bool(stdin_path and fix))
    except EvlintError as error:
        fail(error)
    code = exit_code(shown, exit_zero=exit_zero, fail_on=configuration.settings.fail_on)
    sys.exit(EXIT_FINDINGS if exit_non_zero_on_fix and result.fixed else code)


def _warn_about_files(result: CheckResult, *, debug: bool) -> None:
    """Fixes not applied, and with --debug the traceback of each internal error."""
    for file in result.files:
        if file.fix_error:
            from evlint.output.safe import printable

            click.echo(f"evlint: warning: {printable(file.path)}: {file.fix_error}", err=True)
        for crash in file.internal_errors if debug else ():
            click.echo(crash.debug_text(), err=True)


def _stdin_path(paths: tuple[Path, ...], stdin_filename: Path | None) -> Path | None:
    """The name standard input is checked under, when PATHS is `-` (or absent with --stdin-filename)."""
    if Path("-") in paths and len(paths) > 1:
        fail(EvlintError("'-' (standard input) cannot be combined with other paths"))
    if paths == (Path("-"),) or (stdin_filename is not None and not paths):
        return stdin_filename or Path("-")
    if stdin_filename is not None:
        fail(EvlintError("--stdin-filename needs PATH '-' (standard input)"))
    return None


@main.command("test-rules")
@click.argument("directory", required=False, type=click.Path(path_type=Path, file_okay=False))
def test_rules(directory: Path | None) -> None:
    """Run the valid/invalid examples of the rules in DIRECTORY (default: the bundled rules)."""
    from evlint.ruleset import bundled_rules_dir, load_rules
    from evlint.testing import run_examples

    try:
        rules = load_rules([directory or bundled_rules_dir()])
    except EvlintError as error:
        fail(error)
    failures = run_examples(rules)
    for failure in failures:
        click.echo(str(failure))
    from evlint.fix.trust import module_changes

    for rule in rules:
        for change in module_changes(rule):
            click.echo(str(change), err=True)
    examples = sum(len(rule.invalid_examples) + len(rule.valid_examples) for rule in rules)
    click.echo(f"{examples - len(failures)} passed, {len(failures)} failed")
    sys.exit(EXIT_FINDINGS if failures else EXIT_CLEAN)


def _load(start: Path, overrides: CliOverrides, *, use_cache: bool = False) -> Configuration:
    from evlint.api import load_configuration

    return load_configuration(start, overrides, use_cache=use_cache)


def _load_all_rules(
    start: Path, config_path: Path | None, rules_dirs: tuple[Path, ...]
) -> tuple[tuple[Rule, ...], frozenset[str]]:
    """Every known rule, and the codes the current configuration enables."""
    from evlint.config import CliOverrides

    configuration = _load(start, CliOverrides(config=config_path, rules_dirs=rules_dirs))
    return configuration.known, frozenset(rule.id for rule in configuration.rules)


def _debug_stats(result: CheckResult) -> None:
    """With EVLINT_DEBUG_STATS set: how many files were checked, answered by the cache, parsed."""
    if not os.environ.get("EVLINT_DEBUG_STATS"):
        return
    click.echo(
        f"evlint: {result.files_checked} files checked, {result.files_cached} from the cache,"
        f" {result.files_parsed} parsed",
        err=True,
    )


@main.command("rules")
@click.option(
    "--output-format", type=click.Choice(["table", "json", "markdown"]), default="table", show_default=True
)
@click.option(
    "--config", "config_path", type=click.Path(path_type=Path), help="Configuration to report `enabled` for."
)
@rules_dir_option
@click.option("--color/--no-color", "color", default=None, help="Colour or not (default: on a terminal).")
def rules_command(
    output_format: str, config_path: Path | None, rules_dirs: tuple[Path, ...], color: bool | None
) -> None:
    """List every rule: code, name, pack, severity, fixable, enabled (by the current configuration)."""
    from evlint.check_output import use_color
    from evlint.output.rules import rules_markdown, write_rules_json, write_rules_table

    try:
        rules, enabled = _load_all_rules(Path("."), config_path, rules_dirs)
    except EvlintError as error:
        fail(error)
    if output_format == "json":
        write_rules_json(rules, enabled, sys.stdout)
    elif output_format == "markdown":
        sys.stdout.write(rules_markdown(rules))
    else:
        write_rules_table(rules, enabled, sys.stdout, color=use_color(color))


@main.command("explain")
@click.argument("code")
@rules_dir_option
def explain_command(code: str, rules_dirs: tuple[Path, ...]) -> None:
    """Show a rule's documentation, message, replacement and examples."""
    from evlint.output.rules import explain

    try:
        rules, _ = _load_all_rules(Path("."), None, rules_dirs)
    except EvlintError as error:
        fail(error)
    for rule in rules:
        if rule.id == code.upper():
            sys.stdout.write(explain(rule))
            return
    click.echo(f"evlint: error: unknown rule code {code!r} (see `evlint rules`)", err=True)
    sys.exit(EXIT_ERROR)


@main.command("lsp")
def lsp_command() -> None:
    """Run the language server on standard input and output (for editors)."""
    try:
        from evlint.lsp import serve
    except ImportError as error:
        fail(EvlintError(f"the language server needs the 'lsp' extra: pip install 'evlint[lsp]' ({error})"))
    serve()


main.add_command(entrypoints_command)
main.add_command(report_command)
