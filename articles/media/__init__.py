"""Media: responsive renditions of pictures, and the picture admin."""
