"""MkDocs hooks: the documentation pages that come from evlint itself, never pasted by hand.

- one page per rule, `rules/<CODE>.md`, from the rule's YAML file (loaded and validated by
  evlint's own loader, so an invalid rule fails the build), added to the navigation;
- `<!-- evlint:rules-table -->` in a page becomes the table `evlint rules --output-format
  markdown` prints, each code linked to its page;
- `<!-- evlint:cli COMMAND -->` becomes that command's usage, description and options,
  read from the click commands of `evlint.cli`; every command must have one;
- `changelog.md` is the repository's `CHANGELOG.md`;
- the README's options table of `evlint check` (between `README_BEGIN` and `README_END`)
  is `cli_section("check")`: `python docs/hooks/evlint_docs.py --readme` rewrites it, and
  tests/test_docs.py fails when it is stale.

An unknown marker, or a command without its section, is an error: `mkdocs build --strict`
then fails instead of publishing a stale page.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import click
import yaml
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

ROOT = Path(__file__).resolve().parents[2]
RULES = ROOT / "rules"
MARKER = re.compile(r"<!-- evlint:(?P<kind>\S+?)(?: (?P<arg>\S+))? -->")
PACK_TITLES = {
    "eventlet": "eventlet pack",
    "eventlet-libs": "eventlet-libs pack",
    "migration-hazards": "migration-hazards pack",
    "openstack": "openstack pack",
}
FIX_HOW = {
    "safe": "safe: applied by `--fix`",
    "unsafe": "unsafe: applied by `--fix --unsafe-fixes`",
    "display-only": "display only: shown, never applied",
}
EXAMPLE_LANGUAGES = {".py": "python", ".toml": "toml", ".cfg": "ini", ".txt": "text"}


# Rules ---------------------------------------------------------------------------------


@cache
def rules() -> tuple[Any, ...]:
    """The rules under this checkout's `rules/`, as evlint loads them (validated by its schema)."""
    from evlint.ruleset import load_rules

    return tuple(load_rules([RULES]))


@cache
def rule_files() -> dict[str, tuple[Path, dict[str, Any]]]:
    """Each rule's YAML file and its plain data, by rule code."""
    found: dict[str, tuple[Path, dict[str, Any]]] = {}
    for path in sorted(RULES.rglob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        found[data["id"]] = (path, data)
    return found


def rules_table() -> str:
    """`evlint rules --output-format markdown`, with each code linked to its page."""
    from evlint.output.rules import rules_markdown

    table = rules_markdown(rules())
    return re.sub(r"^\| ([A-Z]+[0-9]+) \|", r"| [\1](\1.md) |", table, flags=re.MULTILINE)


def _yaml_block(data: dict[str, Any]) -> str:
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    return f"```yaml\n{text}```"


def _code_block(code: str, path: str | None) -> str:
    language = EXAMPLE_LANGUAGES.get(Path(path or "example.py").suffix, "text")
    fence = "````" if "```" in code else "```"
    return f"{fence}{language}\n{code.rstrip()}\n{fence}"


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def rule_page(rule: Any) -> str:
    """The page of one rule: what `evlint explain` shows, plus its selectors and examples."""
    path, data = rule_files()[rule.id]
    source = path.relative_to(ROOT).as_posix()
    fix = data.get("fix")
    lines = [
        f"# {rule.id} {rule.name}",
        "",
        rule.summary,
        "",
        "| | |",
        "|---|---|",
        f"| pack | {rule.pack} |",
        f"| severity | {rule.severity.value} |",
        f"| enabled by default | {'yes' if rule.enabled else 'no'} |",
        f"| migration pattern (`evlint report`) | `{rule.pattern}` |",
        f"| fix | {FIX_HOW[fix['applicability']] if fix else 'none'} |",
    ]
    if rule.fallback:
        lines.append("| catch-all | yes: reports only what no other rule reports |")
    lines += [
        f"| message | `{_cell(rule.message)}` |",
        *([f"| suggestion | {_cell(rule.suggestion)} |"] if rule.suggestion else []),
        f"| rule file | `{source}` |",
        "",
        (
            f'On by default; `ignore = ["{rule.id}"]` in `[tool.evlint]` or `--ignore {rule.id}`'
            " turns it off."
            if rule.enabled
            else f'Off by default; `extend-select = ["{rule.id}"]` in `[tool.evlint]` or'
            f" `--extend-select {rule.id}` turns it on."
        )
        + f" `evlint explain {rule.id}` prints this page's documentation in a terminal.",
    ]
    options = data.get("options") or {}
    if options:
        lines += [
            "",
            "## Options",
            "",
            f"Set in `[tool.evlint.options.{rule.id}]` (see [Configuration](../configuration.md)).",
            "",
            "| option | default | meaning |",
            "|---|---|---|",
        ]
        for name, spec in options.items():
            default = json.dumps(spec.get("default"))
            lines.append(f"| `{name}` | `{_cell(default)}` | {_cell(spec.get('description', ''))} |")
    if rule.docs:
        lines += ["", rule.docs.strip()]
    selectors = {key: data[key] for key in ("match", "paths", "fix") if key in data}
    lines += [
        "",
        "## Selectors",
        "",
        "What the rule file declares it matches (see [Writing a rule](../writing-rules.md)):",
        "",
        _yaml_block(selectors),
    ]
    examples = data.get("examples") or {}
    for kind, title in (("invalid", "Reported"), ("valid", "Not reported")):
        if not examples.get(kind):
            continue
        lines += ["", f"## {title}", ""]
        for example in examples[kind]:
            where = example.get("path")
            count = example.get("count", 1) if kind == "invalid" else 0
            head = [f"`{where}`"] if where else []
            if kind == "invalid":
                head.append(f"{count} finding{'s' if count != 1 else ''}")
            if head:
                lines += [", ".join(head) + ":", ""]
            lines += [_code_block(example["code"], where), ""]
            if example.get("fixed") is not None:
                lines += ["Fixed:", "", _code_block(example["fixed"], where), ""]
    return "\n".join(lines).rstrip() + "\n"


# The command line ----------------------------------------------------------------------


def cli_group() -> click.Group:
    from evlint.cli import main

    return main


def _context(command: click.Command, name: str, parent: click.Context | None = None) -> click.Context:
    return click.Context(command, info_name=name, parent=parent, **command.context_settings)


def cli_commands() -> dict[str, tuple[click.Command, click.Context]]:
    """evlint's subcommands with their contexts, in the order `evlint --help` lists them."""
    group = cli_group()
    root = _context(group, "evlint")
    found = {}
    for name in group.list_commands(root):
        command = group.get_command(root, name)
        if command is not None and not command.hidden:
            found[name] = (command, _context(command, name, root))
    return found


def _option_value(param: click.Option, ctx: click.Context) -> str:
    if param.is_flag:
        return ""
    if isinstance(param.type, click.Choice):
        value = ", ".join(f"`{choice}`" for choice in param.type.choices)
    else:
        value = param.type.name.upper()
    return value + (" (repeatable)" if param.multiple else "")


def _option_default(param: click.Option, ctx: click.Context) -> str:
    default = param.get_default(ctx, call=False)
    if param.is_flag or default in (None, (), []) or not isinstance(default, (str, int, float)):
        return ""
    return f"`{default}`"


def cli_section(name: str) -> str:
    """One command's usage, description, arguments and options, as click declares them."""
    commands = cli_commands()
    if name not in commands:
        raise PluginError(f"<!-- evlint:cli {name} -->: evlint has no command {name!r}")
    command, ctx = commands[name]
    usage = " ".join(["evlint", name, *command.collect_usage_pieces(ctx)])
    lines = [f"```text\n{usage}\n```", "", (command.help or "").strip(), ""]
    arguments = [p for p in command.get_params(ctx) if isinstance(p, click.Argument)]
    if arguments:
        described = [f"`{p.make_metavar(ctx)}`{'' if p.required else ' (optional)'}" for p in arguments]
        lines += ["Arguments: " + ", ".join(described) + ".", ""]
    lines += ["| option | value | default | meaning |", "|---|---|---|---|"]
    for param in command.get_params(ctx):
        if not isinstance(param, click.Option) or param.hidden:
            continue
        names = ", ".join(f"`{opt}`" for opt in [*param.opts, *param.secondary_opts])
        meaning = param.help or ("One of the values shown." if isinstance(param.type, click.Choice) else "")
        lines.append(
            f"| {names} | {_option_value(param, ctx)} | {_option_default(param, ctx)} | {_cell(meaning)} |"
        )
    return "\n".join(lines) + "\n"


README_BEGIN = "<!-- readme:check-options begin (python docs/hooks/evlint_docs.py --readme) -->"
README_END = "<!-- readme:check-options end -->"


def readme_with_options(readme: str) -> str:
    """The README with its `evlint check` options block generated afresh."""
    start, end = readme.index(README_BEGIN) + len(README_BEGIN), readme.index(README_END)
    section = cli_section("check")
    return readme[:start] + "\n" + section[section.index("| option |") :] + readme[end:]


# MkDocs events -------------------------------------------------------------------------


def _rules_nav_entry(nav: list[Any]) -> list[Any] | None:
    for item in nav:
        if isinstance(item, dict) and "Rules" in item and isinstance(item["Rules"], list):
            return item["Rules"]
    return None


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Each rule's page goes in the navigation under Rules, grouped by pack."""
    entry = _rules_nav_entry(config.nav or [])
    if entry is None:
        raise PluginError("mkdocs.yml: the nav needs a `Rules:` section (a list) for the rule pages")
    packs: dict[str, list[dict[str, str]]] = {}
    for rule in rules():
        packs.setdefault(rule.pack, []).append({f"{rule.id} {rule.name}": f"rules/{rule.id}.md"})
    entry.extend({PACK_TITLES.get(pack, f"{pack} pack"): pages} for pack, pages in packs.items())
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    for rule in rules():
        files.append(File.generated(config, f"rules/{rule.id}.md", content=rule_page(rule)))
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    files.append(File.generated(config, "changelog.md", content=changelog))
    return files


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    used: set[str] = set()

    def expand(found: re.Match[str]) -> str:
        kind, arg = found["kind"], found["arg"]
        if kind == "rules-table" and arg is None:
            return rules_table()
        if kind == "cli" and arg is not None:
            used.add(arg)
            return cli_section(arg)
        raise PluginError(f"{page.file.src_uri}: unknown marker {found[0]}")

    markdown = MARKER.sub(expand, markdown)
    if used:
        missing = sorted(set(cli_commands()) - used)
        if missing:
            raise PluginError(f"{page.file.src_uri}: no section for evlint {', '.join(missing)}")
    return markdown


if __name__ == "__main__":
    import sys

    if sys.argv[1:] != ["--readme"]:
        sys.exit("usage: python docs/hooks/evlint_docs.py --readme")
    path = ROOT / "README.md"
    path.write_text(readme_with_options(path.read_text(encoding="utf-8")), encoding="utf-8")
