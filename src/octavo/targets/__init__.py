"""One module per output format; each renders a Book and writes one file atomically."""
