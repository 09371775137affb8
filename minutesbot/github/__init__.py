"""The GitHub layer: the only code that talks to GitHub (imported lazily,
so that commands that do not write to GitHub never load PyGithub)."""
