"""Delivery: the public page cache and conditional GET."""
