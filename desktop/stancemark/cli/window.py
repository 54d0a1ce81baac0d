"""The one entry from the command line into the window (the `ui` layer): the import
contracts allow `cli` to reach `ui` only through this module."""

from __future__ import annotations

import argparse

from stancemark.cli.common import annotator_name, store_path
from stancemark.core.errors import StancemarkError


def open_window(args: argparse.Namespace) -> int:
    try:
        from stancemark.ui.window import app
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.startswith("stancemark.ui"):
            raise StancemarkError("the annotation window is not part of this build yet; "
                                  "use the sub-commands (stancemark --help)") from None
        raise
    extra = {}
    if args.smoke_test:
        from stancemark.cli.desktop import seed_for_smoke_test

        seed_for_smoke_test(store_path(args), annotator_name(args))
        extra["smoke"] = True
    return app.run(store_path(args), annotator_name(args), explicit_store=bool(args.store),
                   **extra)
