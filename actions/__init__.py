"""Rasa custom actions (rasa-sdk), one file per action; the action server imports this package."""
from actions.model_warmup import warm_up_later

warm_up_later()
