"""The one reader of spreadsheets that people hand to the portal (CSV and XLSX).

It sits below every app (`unions` imports it too) and knows nothing of units or reports: it
turns bytes into numbered rows of cells, or refuses the file with messages a person can act on.
See `fileread.reader`.
"""
