"""The hub: every analyst's store syncs through one PostgreSQL database.

psycopg 3 is an optional dependency (`pip install 'stancemark[hub]'`); nothing here
imports it until a hub is used. The local store stays the working copy; see
store/hub/sync.py for what a sync does and store/hub/schema.py for who may write what.
"""

from stancemark.store.hub.connection import HubError, has_password, safe_url, save_password
from stancemark.store.hub.schema import NewMember, add_member, init_hub
from stancemark.store.hub.sync import SyncReport, sync
from stancemark.store.hub_state import last_sync

__all__ = ["HubError", "NewMember", "SyncReport", "add_member", "has_password", "init_hub",
           "last_sync", "safe_url", "save_password", "sync"]
