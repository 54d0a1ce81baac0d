"""The codebook in the window: attribute editors, custom-kind tagging, panels, editor."""
