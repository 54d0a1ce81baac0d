"""The article list and the article view, whose highlighter draws the annotations."""
