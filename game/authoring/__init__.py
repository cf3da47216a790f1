"""The authoring toolkit: starter scenarios, the JSON Schema of the format, lint and balance reports.

Domain code only: these modules compute and return data, and never print (``game.cli`` does that).
"""
