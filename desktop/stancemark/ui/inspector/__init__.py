"""The inspector: the open article's annotations and the fields of the selected one."""
