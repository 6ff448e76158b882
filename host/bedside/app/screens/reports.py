"""Reports: per score, by category, the observed rate of the score's own endpoint beside the published rate (or the
case counts alone where this lab does not record that endpoint), with the definition of technical success each side
uses, the AUC of each score here, and procedure time, fluoroscopy and contrast by technique; tables and plots.

The numbers are bedside.reports' (the same as `bedside report` prints); the report is
built in a thread worker. What the clinical reference has not verified carries the one
unverified mark (panel.scoretext.UNVERIFIED) and is never drawn as if established.
"""

from __future__ import annotations

import re

from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Header, Label, Select, Static
from textual_plotext import PlotextPlot

from bedside.app.format import MISSING
from panel.scoretext import mark

FIGURES = (("procedure_s", "Procedure time", "min", 60), ("fluoro_s", "Fluoroscopy", "min", 60),
           ("contrast_ml", "Contrast", "ml", 1))


class ReportReady(Message):
    def __init__(self, report: dict) -> None:
        super().__init__()
        self.report = report


def _num(v, scale=1, digits=0) -> str:
    return MISSING if v is None else f"{v / scale:.{digits}f}"


def overview(rep: dict) -> Text:
    pct = rep["technical_success_pct"]
    return Text(f"{rep['cases']} case(s); outcome known for {rep['known_outcome']}; technical success "
                f"{rep['technical_successes']}/{rep['known_outcome']}"
                f" ({MISSING if pct is None else f'{pct:.1f} %'}): {rep['technical_success_definition']}, as recorded"
                " at the panel. Cases without a known outcome are left out of every rate and AUC.")


def auc_table(rep: dict) -> Table:
    """Scores ranked by AUC for technical failure on this lab's cases (which score predicts best here)."""
    t = Table(title="Which score predicts technical failure best here (AUC; 0.5 = chance)", expand=True,
              show_edge=False)
    for col, just in (("score", "left"), ("AUC", "right"), ("failures", "right"), ("successes", "right"),
                      ("excluded: range", "right"), ("not applicable", "right")):
        t.add_column(col, justify=just)
    ranked = sorted(rep["scores"], key=lambda s: -1 if s["auc"]["value"] is None else s["auc"]["value"], reverse=True)
    for s in ranked:
        a = s["auc"]
        t.add_row(mark(s["name"], s["unverified"]), _num(a["value"], digits=3), str(a["failures"]),
                  str(a["successes"]), str(a["excluded_range"]), str(a["excluded_not_applicable"]))
    return t


def category_table(score: dict) -> Table:
    observed = score["observed"]
    if observed is None:
        title = (f"{score['name']}: cases by category; its endpoint ({score['endpoint'] or 'none given'}) is not "
                 "recorded per case here, so no rate is compared")
    else:
        title = (f"{score['name']}: {observed} by category, beside the published rate of the same endpoint"
                 + (f" ({score['observed_note']})" if score["observed_note"] else ""))
        if score["published_definition"]:  # which technical success each side means
            title += (f". Technical success observed here: {score['observed_definition']}; in the published rates:"
                      f" {score['published_definition']}")
    t = Table(title=title, expand=True, show_edge=False)
    for col in ("category", "n", observed or "", "observed", "published"):
        t.add_column(col)
    for c in score["categories"]:
        pub = "; ".join(r["words"] for r in c["published"])
        obs = MISSING if c["observed_pct"] is None else f"{c['observed_pct']:.1f} %"
        t.add_row(mark(c["label"], c["unverified"]), str(c["n"]),
                  MISSING if c["events"] is None else str(c["events"]), obs, pub or "none given")
    if not score["categories"]:
        t.add_row("(this score has no categories)", "", "", "", "")
    return t


def technique_table(rep: dict) -> Table:
    t = Table(title="By technique: n, median [IQR] (a case that ran two techniques counts under both)",
              expand=True, show_edge=False)
    t.add_column("technique")
    t.add_column("cases", justify="right")
    for _key, label, unit, _scale in FIGURES:
        t.add_column(f"{label} ({unit})")
    for row in rep["by_technique"]:
        cells = []
        for key, _label, _unit, scale in FIGURES:
            q = row[key]
            cells.append(MISSING if q is None else
                         f"n={q['n']} {_num(q['median'], scale)} [{_num(q['q1'], scale)}–{_num(q['q3'], scale)}]")
        t.add_row(row["title"], str(row["cases"]), *cells)
    return t


def published_pct(text: str) -> float | None:
    """The number of a published rate's text ("42.4 %"), or None."""
    m = re.match(r"\s*([0-9]+(?:\.[0-9]+)?)\s*%", text or "")
    return float(m.group(1)) if m else None


class ReportsScreen(Screen):
    DEFAULT_CSS = """
    ReportsScreen VerticalScroll { padding: 0 1; }
    ReportsScreen Static { margin-bottom: 1; }
    ReportsScreen .plots { height: 18; }
    ReportsScreen PlotextPlot { width: 1fr; height: 18; }
    ReportsScreen #score { width: 40; margin-bottom: 1; }
    """
    BINDINGS = [Binding("f5", "rebuild", "Rebuild report")]

    def __init__(self) -> None:
        super().__init__()
        self.report: dict | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll():
            yield Label("Building the report ...", id="overview")
            yield Static("", id="auc")
            yield Select([], prompt="score", id="score", allow_blank=True)
            yield Static("", id="categories")
            with Horizontal(classes="plots"):
                yield PlotextPlot(id="category-plot")
                yield PlotextPlot(id="auc-plot")
            yield Static("", id="techniques")
            with Horizontal(classes="plots"):
                yield PlotextPlot(id="technique-plot")
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Reports"
        self.action_rebuild()

    def action_rebuild(self) -> None:
        self.build_report()

    @work(thread=True, exclusive=True, group="report")
    def build_report(self) -> None:
        from bedside.reports import report

        self.post_message(ReportReady(report(self.app.ctx.store)))

    def on_report_ready(self, message: ReportReady) -> None:
        rep = self.report = message.report
        self.query_one("#overview", Label).update(overview(rep))
        self.query_one("#auc", Static).update(auc_table(rep))
        select = self.query_one("#score", Select)
        select.set_options([(s["name"], s["id"]) for s in rep["scores"]])
        select.value = rep["scores"][0]["id"]
        self.show_score(rep["scores"][0]["id"])
        self.query_one("#techniques", Static).update(technique_table(rep))
        self.plot_auc(rep)
        self.plot_techniques(rep)

    def on_select_changed(self, event: Select.Changed) -> None:
        if self.report and event.value is not Select.BLANK:
            self.show_score(str(event.value))

    def show_score(self, sid: str) -> None:
        score = next(s for s in self.report["scores"] if s["id"] == sid)
        self.query_one("#categories", Static).update(category_table(score))
        plot = self.query_one("#category-plot", PlotextPlot)
        plt = plot.plt
        plt.clear_data()
        plt.clear_figure()
        observed = score["observed"]
        if observed is None:  # the endpoint is not recorded here: how many cases fell in each category
            cats = score["categories"]
            if cats:
                plt.bar([mark(c["label"], c["unverified"]) for c in cats], [c["n"] for c in cats])
            plt.title(f"{score['name']}: cases by category")
            plot.refresh()
            return
        cats = [c for c in score["categories"] if c["observed_pct"] is not None]  # no case: no bar, never 0 %
        labels = [mark(c["label"], c["unverified"]) for c in cats]
        rates = [c["observed_pct"] for c in cats]
        published = [published_pct(c["published"][0]["text"]) if c["published"] and not c["unverified"] else None
                     for c in cats]
        if labels:
            if all(p is not None for p in published):
                plt.multiple_bar(labels, [rates, published], labels=[f"observed {observed}", "published"])
            else:
                plt.bar(labels, rates, label=f"observed {observed}")
        plt.title(f"{score['name']}: {observed} % by category (categories with no case left out)")
        plt.ylim(0, 100)
        plot.refresh()

    def plot_auc(self, rep: dict) -> None:
        plot = self.query_one("#auc-plot", PlotextPlot)
        plt = plot.plt
        plt.clear_data()
        plt.clear_figure()
        scored = [s for s in rep["scores"] if s["auc"]["value"] is not None]
        if scored:
            plt.bar([s["id"] for s in scored], [round(s["auc"]["value"], 3) for s in scored])
        plt.title("AUC for technical failure (0.5 = chance)")
        plt.ylim(0, 1)
        plot.refresh()

    def plot_techniques(self, rep: dict) -> None:
        plot = self.query_one("#technique-plot", PlotextPlot)
        plt = plot.plt
        plt.clear_data()
        plt.clear_figure()
        rows = [r for r in rep["by_technique"] if r["procedure_s"] is not None]
        if rows:
            plt.bar([r["technique"] for r in rows], [round(r["procedure_s"]["median"] / 60, 1) for r in rows])
        plt.title("Median procedure time by technique (min)")
        plot.refresh()
