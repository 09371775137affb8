"""The GitHub layer: the only code that talks to GitHub.

``transport`` owns PyGithub, retries, the wait budget and token scrubbing
(``policy`` says how patient it is and how it fails); ``comments``,
``pulls``, ``search`` and ``graphql`` are what minutesbot asks through it,
``model`` what comes back, and ``client`` the one object callers hold.
Imported lazily, so that commands that do not write to GitHub never load
PyGithub.
"""
