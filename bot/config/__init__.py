"""config.toml -> frozen, validated dataclasses (schema), the typed TOML reader, run-time keys.

Pure apart from reading the one config file. The bottom of the bot's layers: the core builds on its
values (the dossier item kinds, the campaign's markers), never the other way round. May import: the
standard library, ``parsers.text`` (folding words), ``bot.errors`` and ``bot.config``.
"""
