import multiprocessing

from stancemark.cli import main

if __name__ == "__main__":
    # A frozen build's processes of its own (the suggestion worker, store/suggest_worker.py)
    # start this executable again: this makes them run their task, not the program.
    multiprocessing.freeze_support()
    raise SystemExit(main())
