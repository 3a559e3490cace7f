"""config.toml -> frozen, validated dataclasses (schema), the typed TOML reader, run-time keys.

Pure apart from reading the one config file. May import: the standard library, ``bot.errors``,
``bot.core`` (the dossier item kinds) and ``bot.config``.
"""
