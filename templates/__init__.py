"""The default templates; installed as the package ``minutesbot.templates``
(see ``package-dir`` in pyproject.toml), so this folder must stay a package."""
