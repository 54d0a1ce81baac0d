"""README picture generators: developer tools, left out of the frozen app
(`python -m stancemark.ui.pictures.screenshot`, `... .review_screenshot`)."""
