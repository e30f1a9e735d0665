"""`evlint report`: the migration inventory of a team's projects (Markdown, JSON, HTML, CSV)."""

from __future__ import annotations

from dataclasses import dataclass

from evlint.report.compare import Comparison
from evlint.report.inventory import ProjectInventory, Summary, team_summary
from evlint.report.links import Links

FORMATS = ("markdown", "json", "html", "csv")


@dataclass(frozen=True)
class Report:
    team: str
    projects: tuple[ProjectInventory, ...]
    link_template: str | None = None
    comparison: Comparison | None = None
    generated: str | None = None  # the date (UTC) shown as provenance in HTML and JSON

    def summary(self) -> Summary:
        return team_summary(self.projects)

    def removed_code(self) -> dict[str, int]:
        """Code occurrences removed per project since --compare's report (empty without one)."""
        return self.comparison.removed_code() if self.comparison is not None else {}

    def links(self) -> Links:
        return Links(self.link_template, {project.name: project.ref for project in self.projects})


def render(report: Report, output_format: str) -> str:
    """The whole document in one format."""
    if output_format == "json":
        from evlint.report.json import render_json

        return render_json(report)
    if output_format == "html":
        from evlint.report.html import render_html

        return render_html(report)
    if output_format == "csv":
        from evlint.report.csv import render_csv

        return render_csv(report)
    from evlint.report.markdown import render_markdown

    return render_markdown(report)
