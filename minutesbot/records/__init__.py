"""From a minutes file to its record: everything that reads minutes.

``reading`` decodes the bytes, ``document`` turns markdown into headings and
entries, ``parser`` extracts the record (``record`` holds its dataclasses),
``refs`` and ``dates`` read issue references and dates, ``tracking`` follows
action items across records, ``gitrange`` selects the files a git range
touched, ``summary`` is the record as one paragraph.
"""
