"""A team on one hub: three stores syncing at the same time, and the scenario of three
analysts and a reviewer (each tags, one works offline and catches up, the reviewer
settles gold, everyone pulls it). Also the command line."""

from __future__ import annotations

import threading

import psycopg
from hub_helpers import annotation_uids, seeded_store, tag_words

from review_data import ART1, ART2, ART3, CHINA, tag, uid_of
from stancemark.store.hub import sync


def test_three_stores_syncing_concurrently(tmp_path, hub):
    names = ("ana", "ben", "cleo")
    urls = {n: hub.member(n) for n in names}
    stores = {n: seeded_store(tmp_path / f"{n}.sqlite", n) for n in names}
    errors: list[BaseException] = []

    def work(name):
        try:
            repo = stores[name]
            for round_ in range(4):
                tag_words(repo, 30, f"{name}{round_}")
                repo.set_status(ART1, ("in progress", "done")[round_ % 2])
                sync(repo, urls[name])
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in names]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert not errors, errors
    for n in names:  # one more round each: everyone has everything
        sync(stores[n], urls[n])
    everything = annotation_uids(stores["ana"])
    assert len(everything) == 3 * 4 * 30
    for n in names:
        assert annotation_uids(stores[n]) == everything
        for other in names:
            assert stores[n].get_status(ART1, stores[other].annotator.uid) == "done"
    with psycopg.connect(hub.admin_url) as conn:
        seqs = [r[0] for r in conn.execute("SELECT seq FROM stancemark_hub.rows ORDER BY seq")]
        assert conn.execute("SELECT count(*) FROM stancemark_hub.rows WHERE entity = "
                            "'annotation'").fetchone()[0] == 360
    assert len(seqs) == len(set(seqs))


def test_three_analysts_and_a_reviewer(tmp_path, hub):
    from test_hub_sync import settle

    ana, ben, cleo = (seeded_store(tmp_path / f"{n}.sqlite", n) for n in ("ana", "ben", "cleo"))
    rev = seeded_store(tmp_path / "rev.sqlite", "rev")
    url = {"ana": hub.member("ana"), "ben": hub.member("ben"), "cleo": hub.member("cleo"),
           "rev": hub.member("rev", reviewer=True)}
    taiwan = uid_of(ana, "Taiwan")
    # Each tags the first article; Ana and Ben agree on "Beijing", Cleo reads "Taipei".
    tag(ana, ART1, "Beijing", actor_uid=CHINA)
    tag(ben, ART1, "Beijing", actor_uid=CHINA)
    tag(cleo, ART1, "Taipei", actor_uid=taiwan)
    for who, repo in (("ana", ana), ("ben", ben)):
        sync(repo, url[who])
    # Cleo works offline: she goes on tagging, and syncs only later.
    tag(cleo, ART3, "January 9", "date", date_value="2021-01-09", date_granularity="day")
    tag(cleo, ART2, "opposing Taiwan’s independence", "stance", holder_uid=CHINA,
        polarity="oppose", target_topic_uid=uid_of(cleo, "Taiwan independence", True))
    cleo.set_status(ART1, "done")
    # Meanwhile the reviewer pulls what is there and settles the first article.
    sync(rev, url["rev"])
    assert {a.annotator_uid for a in rev.list_annotations(ART1)} == \
        {ana.annotator.uid, ben.annotator.uid}
    settle(rev, ART1, "ana", "ben")
    sync(rev, url["rev"])
    # Cleo comes back online: her offline work goes up, everyone's comes down.
    report = sync(cleo, url["cleo"])
    assert report.pushed["annotation"] == 3
    assert report.pulled["annotation"] >= 3  # Ana's, Ben's and the gold one
    gold = cleo.annotator_by_name("gold")
    assert gold is not None and gold.is_gold
    assert [a.quote for a in cleo.list_annotations(ART1, [gold.uid])] == ["Beijing"]
    # The reviewer settles Cleo's article too; everyone pulls the gold layer.
    sync(rev, url["rev"])
    settle(rev, ART3, "cleo")
    sync(rev, url["rev"])
    for who, repo in (("ana", ana), ("ben", ben), ("cleo", cleo)):
        sync(repo, url[who])
        g = repo.annotator_by_name("gold")
        assert [a.quote for a in repo.list_annotations(ART1, [g.uid])] == ["Beijing"]
        assert [a.date_value for a in repo.list_annotations(ART3, [g.uid])] == ["2021-01-09"]
        assert repo.get_status(ART1, cleo.annotator.uid) == "done"
        # Everyone's own annotations are as they made them.
        assert annotation_uids(repo, who) == annotation_uids({"ana": ana, "ben": ben,
                                                              "cleo": cleo}[who], who)
    assert annotation_uids(ana) == annotation_uids(ben) == annotation_uids(cleo) == \
        annotation_uids(rev)


def test_the_command_line(tmp_path, empty_db, capsys, monkeypatch):
    import io
    import secrets

    from stancemark.cli.main import main

    assert main(["hub", "init", empty_db]) == 0
    assert "hub schema ready" in capsys.readouterr().out
    # Roles belong to the whole server, not to the test's database: a name of this run's
    # own, so the test runs again on the same server (a fixed name existed the second time).
    role = "dora_" + secrets.token_hex(4)
    assert main(["hub", "add-analyst", role, "--annotator", "dora", "--hub", empty_db]) == 0
    handout = capsys.readouterr().out
    password = next(line.split()[-1] for line in handout.splitlines()
                    if line.strip().startswith("password:"))
    member_url = next(line.split(None, 1)[1] for line in handout.splitlines()
                      if line.strip().startswith("hub:"))
    monkeypatch.setattr("sys.stdin", io.StringIO(password + "\n"))
    assert main(["hub", "password", member_url]) == 0
    store = tmp_path / "dora.sqlite"
    assert main(["--store", str(store), "--annotator", "dora", "seed"]) == 0
    assert main(["--store", str(store), "--annotator", "dora", "sync", member_url]) == 0
    out = capsys.readouterr().out
    assert "pushed" in out and "3 article(s)" in out
    # Without a URL: the hub this store last synced with.
    assert main(["--store", str(store), "--annotator", "dora", "sync"]) == 0
    assert "pushed nothing; came in: nothing new" in capsys.readouterr().out
    # A refusal is one line on standard error.
    assert main(["hub", "add-analyst", "Not A Role", "--hub", empty_db]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "a member name is lower-case" in err
