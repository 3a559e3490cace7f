"""mailbot: reads a federation's commendation-dossier inbox, checks each unit's dossier, replies, keeps a tally."""

__version__ = "0.1.0"
