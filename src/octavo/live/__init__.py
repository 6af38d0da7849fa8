"""The book while it is being written: `watch` (rebuild on every save) and `preview` (a local
web page showing the e-book and the printed pages, reloaded after each rebuild)."""
