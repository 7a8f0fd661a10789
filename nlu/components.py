"""Shared helpers for our Rasa NLU components (registration boilerplate lives here once)."""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu.ticket_number import TICKET_ID


class MessageAnnotator(GraphComponent):
    """A non-trainable component that annotates each user message in place."""

    def __init__(self, config: Dict[Text, Any]) -> None:
        self.config = config

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "MessageAnnotator":
        return cls(config)

    @classmethod
    def load(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> "MessageAnnotator":
        """The inference graph: read settings and models now, at server start, so that the first
        resident does not wait for them (the training graph uses `create` and loads nothing)."""
        component = cls.create(config, model_storage, resource, execution_context)
        component.warm_up()
        return component

    def warm_up(self) -> None:
        """Load what `annotate` reads (overridden by components that read settings or models)."""

    def annotate(self, message: Message) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            if message.get("text"):
                self.annotate(message)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data


def settle_intent(message: Message, name: str) -> None:
    """The message's intent is ``name`` for certain, whatever the intent model said (a rule of ours read
    it: a distressed message, a correction, a ticket number sent alone)."""
    certain = {INTENT_NAME_KEY: name, PREDICTED_CONFIDENCE_KEY: 1.0}
    message.set(INTENT, certain, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [dict(certain)], add_to_output=True)


def status_question_text(message: Message) -> Optional[str]:
    """The text of a message the intent model read as a status question naming no ticket number (a number asks
    for that ticket), which a rule may read as a report after all; None for any other message."""
    text = message.get(TEXT) or ""
    if (message.get(INTENT) or {}).get(INTENT_NAME_KEY) != "query_status" or TICKET_ID.search(text):
        return None
    return text
