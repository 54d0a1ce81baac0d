"""The only package that speaks SQL. Built on sqlite-utils."""

from stancemark.store.db import default_store_path, open_store
from stancemark.store.repository import Repository

__all__ = ["Repository", "default_store_path", "open_store"]
