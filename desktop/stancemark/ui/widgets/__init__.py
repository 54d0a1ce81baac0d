"""Small Qt helpers shared by several views."""
