"""The meeting pad loop: minutes from the team's pad into the repository, the agenda back.

A team takes its minutes in a pad (HedgeDoc 1.x, HedgeDoc 2 or HackMD) that
holds many meetings. :mod:`.transport` is the HTTP to such a server (time
limits, size caps, retries for reads only), :mod:`.servers` what each kind
of server is asked; :mod:`.sections` finds one meeting in a pad,
:mod:`.normalise` takes out what the pad adds, :mod:`.images` copies the
pad's uploaded images; :mod:`.pull` and :mod:`.push` are ``minutesbot pad
pull`` and ``minutesbot pad push``.

Nothing here imports at package import time.
"""
