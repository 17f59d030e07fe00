"""Renderers, side by side: each turns the checked model into one output format."""
