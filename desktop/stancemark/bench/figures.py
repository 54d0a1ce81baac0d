"""Which figures the benchmark reports, at which sizes, against which budgets.

The budgets are the project's performance budget (ARCHITECTURE.md). A figure with a
yardstick shows the ratio to it; a ratio budget is judged on that ratio, an absolute
budget on the median itself.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from stancemark.bench.stores import StoreSpec

FULL_SIZES: dict[str, int] = {
    "import_articles": 10_000,
    "news_articles": 100_000,
    "news_per_article": 20,  # 100,000 articles x 20 = 2,000,000 annotations
    "export_annotations": 1_000_000,
    "long_chars": 1_000_000,
    "long_annotations": 20_000,
    "merge_articles": 10_000,
    "merge_per_article": 20,  # the colleague's store: 10,000 articles, 200,000 annotations
    "agree_articles": 10_000,
    "agree_per_article": 10,  # two coders x 10,000 x 10 = 200,000 annotations
    "hub_push_annotations": 10_000,
    "hub_pull_annotations": 1_000_000,  # on 50,000 articles (20 each)
    # the discourse views: the news store's size, with a register of this many actors
    # and topics (bench/discourse.py), so the whole-corpus network has thousands of nodes
    "discourse_actors": 2_000,
    "discourse_topics": 400,
    # Codebook-heavy: 10 custom kinds x 10 attributes, every annotation with its values.
    "codebook_long_annotations": 20_000,  # on the 1 MB article (long_chars)
    "codebook_export_articles": 50_000,  # x news_per_article = 1,000,000 annotations
    # Suggestions: a register of this many actors and names (names and aliases), matched
    # in the long article and over the news store; stored for this many news articles.
    "suggest_actors": 5_000,
    "suggest_aliases": 20_000,
    "suggest_store_articles": 10_000,
}

QUICK_SIZES: dict[str, int] = {
    "import_articles": 60,
    "news_articles": 200,
    "news_per_article": 10,
    "export_annotations": 1_000,
    "long_chars": 20_000,
    "long_annotations": 300,
    "merge_articles": 30,
    "merge_per_article": 10,
    "agree_articles": 30,
    "agree_per_article": 5,
    "hub_push_annotations": 100,
    "hub_pull_annotations": 1_000,
    "discourse_actors": 60,
    "discourse_topics": 15,
    "codebook_long_annotations": 300,
    "codebook_export_articles": 100,
    "suggest_actors": 50,
    "suggest_aliases": 200,
    "suggest_store_articles": 30,
}


@dataclass(frozen=True)
class Job:
    measure: str
    params: dict = field(default_factory=dict)
    runs_cap: int | None = None  # some yardsticks take seconds per run

    def key(self) -> str:
        return json.dumps([self.measure, self.params], sort_keys=True)


@dataclass(frozen=True)
class Budget:
    kind: str  # "ratio" (to the yardstick), "seconds" or "mb" (absolute), "" (none)
    limit: float = 0.0

    def text(self) -> str:
        if self.kind == "ratio":
            return f"≤ {self.limit:g}× limit"
        if self.kind == "seconds":
            return f"≤ {format_seconds(self.limit)}"
        if self.kind == "mb":
            return f"≤ {self.limit:g} MB"
        return "—"


@dataclass(frozen=True)
class Figure:
    key: str
    title: str
    size: str
    subject: Job
    yardstick: Job | None
    budget: Budget
    series: str = "times"  # which of the subject's series (and the yardstick's) to report
    memory: bool = False  # report the subject's resident memory at "shown" instead of time
    stores: tuple[StoreSpec, ...] = ()


def format_seconds(s: float) -> str:
    if s >= 1:
        return f"{s:.2f} s"
    if s >= 0.01:
        return f"{s * 1000:.0f} ms"
    return f"{s * 1000:.1f} ms"


def store_specs(z: dict[str, int]) -> dict[str, StoreSpec]:
    return {
        "news": StoreSpec("news", z["news_articles"], z["news_per_article"]),
        "long": StoreSpec("long", 1, z["long_annotations"], chars=z["long_chars"]),
        "ours": StoreSpec("merge-ours", z["merge_articles"], z["merge_per_article"], ("ana",)),
        "theirs": StoreSpec("merge-theirs", z["merge_articles"], z["merge_per_article"], ("bo",)),
        "agree": StoreSpec("agree", z["agree_articles"], z["agree_per_article"], ("ana", "bo")),
        "hub": StoreSpec("hub-source", max(1, z["hub_pull_annotations"] // 20), 20),
        "discourse": StoreSpec("discourse", z["news_articles"], z["news_per_article"],
                               register=(z["discourse_actors"], z["discourse_topics"])),
        "cb-long": StoreSpec("codebook-long", 1, z["codebook_long_annotations"],
                             chars=z["long_chars"], codebook=True),
        "cb-news": StoreSpec("codebook-news", z["codebook_export_articles"],
                             z["news_per_article"], codebook=True),
        "cb-agree": StoreSpec("codebook-agree", z["agree_articles"], z["agree_per_article"],
                              ("ana", "bo"), codebook=True),
    }


def figures(z: dict[str, int], paths: dict[str, Path], hub_server: str = "") -> list[Figure]:
    """Every figure; `paths` maps store name -> cached file (see store_specs);
    `hub_server` is the PostgreSQL server the hub figures use (bench.pg_cluster)."""
    specs = store_specs(z)
    p = {k: str(v) for k, v in paths.items()}
    n_import = z["import_articles"]
    export_articles = max(1, z["export_annotations"] // z["news_per_article"])
    if export_articles > z["news_articles"]:
        raise ValueError("export_annotations exceeds the news store's annotations")
    news = f"{z['news_articles']:,} articles"
    long = f"{z['long_chars'] // 1000:,} kB, {z['long_annotations']:,} annotations"
    imp = Job("import_raw", {"articles": n_import})
    startup = Job("startup_app", {"store": p["news"]})
    bare = Job("startup_bare")
    paint = Job("paint_app", {"store": p["long"]})
    extrasel = Job("paint_extrasel", {"store": p["long"]}, runs_cap=3)
    return [
        Figure("import", "Import articles with full-text index (add_article each, one "
               "transaction)",
               f"{n_import:,} articles", Job("import_repo", {"articles": n_import}), imp,
               Budget("ratio", 1.5)),
        Figure("import-bulk", "Import articles with full-text index (store.bulk.add_articles)",
               f"{n_import:,} articles", Job("import_bulk", {"articles": n_import}), imp,
               Budget("ratio", 1.5)),
        Figure("import-text", "Import .txt files with full-text index (plain-text importer)",
               f"{n_import:,} files", Job("import_text", {"articles": n_import}), imp,
               Budget("ratio", 1.5)),
        Figure("export", "Export native JSONL",
               f"{export_articles * z['news_per_article']:,} annotations, "
               f"{export_articles:,} articles",
               Job("export_native", {"store": p["news"], "articles": export_articles}),
               Job("export_raw", {"store": p["news"], "articles": export_articles}),
               Budget("ratio", 2), stores=(specs["news"],)),
        Figure("search", "Full-text search, first page (100 rows)", news,
               Job("search", {"store": p["news"]}), None, Budget(""), stores=(specs["news"],)),
        Figure("startup", "Start to a shown, usable main window (offscreen)", news, startup, bare,
               Budget("seconds", 1.0), stores=(specs["news"],)),
        Figure("memory", "Resident memory, store open in the window, whole article list "
               "paged in", news, startup,
               bare, Budget("mb", 400), memory=True, stores=(specs["news"],)),
        Figure("startup-register", "Start to a shown, usable main window with a large register "
               "(offscreen; its own small store)", f"{n_import:,} articles, "
               f"{z['suggest_actors']:,} actors, {z['suggest_aliases']:,} names",
               Job("startup_register", {"articles": n_import, "actors": z["suggest_actors"],
                                        "aliases": z["suggest_aliases"]}),
               bare, Budget("seconds", 1.0)),
        Figure("paint", "Open a long article to first paint", long, paint, extrasel,
               Budget("seconds", 0.1), stores=(specs["long"],)),
        Figure("open-all", "Open a long article until every annotation is loaded", long,
               paint, extrasel, Budget(""), series="settled", stores=(specs["long"],)),
        Figure("scroll", "Repaint after scrolling one page", long, paint, extrasel,
               Budget("seconds", 0.1), series="scroll", stores=(specs["long"],)),
        Figure("tag", "Tag a span: key press to committed row and repainted block", long,
               Job("tag_app", {"store": p["long"]}), None, Budget("seconds", 0.016),
               stores=(specs["long"],)),
        Figure("tag-news", "Tag a span in a news article", news,
               Job("tag_app", {"store": p["news"]}), None, Budget("seconds", 0.016),
               stores=(specs["news"],)),
        Figure("merge", "Merge a colleague's store",
               f"{z['merge_articles']:,} articles, "
               f"{z['merge_articles'] * z['merge_per_article']:,} annotations",
               Job("merge", {"ours": p["ours"], "theirs": p["theirs"]}), None,
               Budget("seconds", 5.0), stores=(specs["ours"], specs["theirs"])),
        Figure("agreement", "Agreement between two coders",
               f"{specs['agree'].annotations:,} annotations",
               Job("agreement", {"store": p["agree"]}), None, Budget("seconds", 2.0),
               stores=(specs["agree"],)),
        *hub_figures(z, p, specs, hub_server),
        *discourse_figures(z, p, specs),
        *codebook_figures(z, specs, p),
        *suggest_figures(z, specs, p),
    ]


def discourse_figures(z: dict[str, int], p: dict[str, str],
                      specs: dict[str, StoreSpec]) -> list[Figure]:
    """The Discourse window (ui/analysis) on the discourse store: the news store's size
    with a register of thousands of actors and topics (bench/discourse.py)."""
    store = specs["discourse"]
    params = {"store": p["discourse"]}
    stances = store.annotations // 4  # a quarter of the synthetic annotations are stances
    size = (f"{store.articles:,} articles, ≈{stances:,} stances, "
            f"{z['discourse_actors']:,} actors, {z['discourse_topics']:,} topics")
    network = Job("discourse_network", params)
    return [
        Figure("stance-table", "Stance table: first rows shown after opening the Discourse "
               "window (yardstick: sqlite3, count and first screen)", size,
               Job("discourse_table", params), Job("discourse_table_raw", params),
               Budget("seconds", 0.3), stores=(store,)),
        Figure("stance-filter", "Stance table: a filter changed (holder, polarity, target, "
               "date range) to the new rows shown (yardstick: the same in plain SQL)", size,
               Job("discourse_filter", params), Job("discourse_filter_raw", params),
               Budget("seconds", 0.15), stores=(store,)),
        Figure("network", "Network of the whole corpus (actor × topic): read, counted, laid "
               "out and drawn (yardstick: sqlite3 and networkx building the graph)", size,
               network, Job("discourse_network_nx", params), Budget("seconds", 2.0),
               stores=(store,)),
        Figure("network-read", "… of which reading the stances", size, network, None,
               Budget(""), series="reading", stores=(store,)),
        Figure("network-congruence", "Congruence network of the whole corpus, counted and "
               "drawn (laid out already)", size, network, None, Budget(""),
               series="congruence", stores=(store,)),
        Figure("network-step", "Network: one step of a moving three-month window (yardstick: "
               "networkx building that window's graph)", size, Job("discourse_step", params),
               Job("discourse_step_nx", params), Budget("seconds", 0.3), stores=(store,)),
        Figure("discourse-memory", "Resident memory with the Discourse window open (table, "
               "network, timeline; yardstick: the main window alone)", size, network,
               Job("discourse_window_rss", params), Budget("mb", 400), memory=True,
               stores=(store,)),
    ]


HUB_FIGURES = ("hub-push", "hub-pull", "hub-idle")


def hub_figures(z: dict[str, int], p: dict[str, str], specs: dict[str, StoreSpec],
                server: str) -> list[Figure]:
    """The team hub on a local PostgreSQL server; yardsticks: COPY, and SQLite's insert."""
    n_push, n_pull = z["hub_push_annotations"], z["hub_pull_annotations"]
    ours = specs["ours"]
    push = Job("hub_push", {"server": server, "store": p["ours"], "annotations": n_push})
    pull = Job("hub_pull", {"server": server, "store": p["hub"]})
    return [
        Figure("hub-push", "Hub sync pushing new annotations",
               f"{n_push:,} annotations (store and hub of {ours.annotations:,})", push,
               Job("hub_copy_in", {"server": server, "store": p["ours"],
                                   "annotations": n_push}),
               Budget("seconds", 5.0), stores=(ours,)),
        Figure("hub-pull", "Hub sync: a fresh store pulling everything (yardstick: COPY out "
               "of PostgreSQL, then SQLite's insert)", f"{n_pull:,} annotations", pull,
               Job("hub_copy_out", {"server": server, "store": p["hub"],
                                    "annotations": n_pull}, runs_cap=2),
               Budget("seconds", 60.0), stores=(specs["hub"],)),
        Figure("hub-idle", "Hub sync with nothing new", f"hub and store of {n_pull:,} "
               "annotations", pull, None, Budget("seconds", 0.2), series="idle",
               stores=(specs["hub"],)),
    ]


def codebook_figures(z: dict[str, int], specs: dict[str, StoreSpec], p: dict[str, str]
                     ) -> list[Figure]:
    """The budgets again with a codebook of 10 custom kinds x 10 attributes, every
    annotation carrying its kind's values."""
    cb = "10 kinds x 10 attributes"
    long = f"{z['long_chars'] // 1000:,} kB, {z['codebook_long_annotations']:,} annotations, {cb}"
    cb_export = z["codebook_export_articles"] * z["news_per_article"]
    paint = Job("paint_app", {"store": p["cb-long"]})
    return [
        Figure("cb-paint", "Codebook-heavy: open a long article to first paint", long, paint,
               None, Budget("seconds", 0.1), stores=(specs["cb-long"],)),
        Figure("cb-tag", "Codebook-heavy: tag a span in the long article", long,
               Job("tag_app", {"store": p["cb-long"]}), None, Budget("seconds", 0.016),
               stores=(specs["cb-long"],)),
        Figure("cb-export", "Codebook-heavy: export native JSONL",
               f"{cb_export:,} annotations, {cb}",
               Job("export_native", {"store": p["cb-news"],
                                     "articles": z["codebook_export_articles"]}),
               Job("export_raw", {"store": p["cb-news"], "articles": z["codebook_export_articles"]}),
               Budget("ratio", 2), stores=(specs["cb-news"],)),
        Figure("cb-agreement", "Codebook-heavy: agreement between two coders, every attribute",
               f"{specs['cb-agree'].annotations:,} annotations, {cb}",
               Job("agreement", {"store": p["cb-agree"], "attributes": True}), None,
               Budget("seconds", 2.0), stores=(specs["cb-agree"],)),
    ]


def suggest_figures(z: dict[str, int], specs: dict[str, StoreSpec], p: dict[str, str]
                    ) -> list[Figure]:
    """Suggestions (bench/suggest_bench.py): the long article and the news store with a
    register of suggest_actors actors and suggest_aliases names."""
    reg = {"actors": z["suggest_actors"], "aliases": z["suggest_aliases"]}
    names = f"{z['suggest_actors']:,} actors, {z['suggest_aliases']:,} names"
    long = f"{z['long_chars'] // 1000:,} kB, {z['long_annotations']:,} annotations, {names}"
    n_news, n_store = z["news_articles"], z["suggest_store_articles"]
    match = {"store": p["news"], "articles": n_news, **reg}
    store = {"articles": n_store, **reg}
    window = Job("suggest_window", {"store": p["long"], **reg})  # bench/suggest_probe.py
    return [
        Figure("suggest", "Suggestions for the long article, actors and dates (yardstick: a "
               "bare Aho-Corasick pass over the lower-cased text)", long,
               Job("suggest_long", {"store": p["long"], **reg}),
               Job("suggest_long_bare", {"store": p["long"], **reg}),
               Budget("seconds", 0.05), stores=(specs["long"],)),
        Figure("suggest-window", "Suggestions in the window: first paint of the long article "
               "to its first screen's suggestions drawn", long, window, None,
               Budget("seconds", 0.05), stores=(specs["long"],)),
        Figure("suggest-window-all", "Suggestions in the window: first paint of the long "
               "article to all its suggestions set and drawn", long,
               window, None, Budget("seconds", 0.05), series="whole", stores=(specs["long"],)),
        Figure("suggest-match", "suggest --apply, matching (≥ 2,000 articles/s; yardstick: "
               "sqlite3 reading the texts and the bare pass)", f"{n_news:,} articles, {names}",
               Job("suggest_match", match, runs_cap=3), Job("suggest_match_bare", match, runs_cap=3),
               Budget("seconds", n_news / 2000), stores=(specs["news"],)),
        Figure("suggest-store", "suggest --apply, storing through the bulk path (yardstick: "
               "sqlite3 executemany of the same rows)", f"the suggestions of {n_store:,} "
               f"articles", Job("suggest_store", store, runs_cap=3),
               Job("suggest_store_raw", store, runs_cap=3), Budget("ratio", 1.5)),
    ]
