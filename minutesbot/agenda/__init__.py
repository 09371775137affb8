"""The next call's agenda from a team's history.

``prepare`` builds it (``model`` holds its dataclasses, ``history`` the team's
records, ``carry`` what is carried forward), ``cadence`` finds the date,
``away`` reads absences, ``skeleton`` the layout of the last minutes,
``render`` writes the markdown, ``issues`` adds what GitHub knows, and
``pull_request`` proposes it as a pull request.
"""
