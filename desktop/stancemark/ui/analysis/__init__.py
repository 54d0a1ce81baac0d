"""The discourse views: the stance and mention tables, the network, the timeline
(View ▸ Discourse). install(window) wires them into the main window."""
