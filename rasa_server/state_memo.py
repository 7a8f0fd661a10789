"""The dialogue states of a conversation computed once per prediction, not once per question.

Right after a resident's message the RulePolicy asks Rasa 3.6 twice for the states of the whole
conversation — once to match rules on the message's text, once on its intent — and each time
Rasa replays every event from the start (`Domain.states_for_tracker_history`). The two answers
are the same until the policy cuts the last user turn to text or intent, which it does on its
own copy. Here a tracker keeps the last states it computed, keyed by what they depend on (how
many events, the last event, the arguments); a tracker that changed computes them again.

The memo hands out copies two levels deep (each state and each of its sub-states), because the
featurizer deletes keys from the sub-states it gets (`_choose_last_user_input`); the values in
the sub-states are strings and tuples, which nobody changes.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text, Tuple

from rasa.shared.core.domain import Domain, State
from rasa.shared.core.trackers import DialogueStateTracker

_original_past_states = DialogueStateTracker.past_states
MEMO = "_intake_past_states"


def _key(tracker: DialogueStateTracker, domain: Domain, omit_unset_slots: bool, ignore_rule_only_turns: bool,
         rule_only_data: Optional[Dict[Text, Any]]) -> Tuple[Any, ...]:
    rule_only = tuple(sorted((k, tuple(v)) for k, v in (rule_only_data or {}).items()))
    last = id(tracker.events[-1]) if tracker.events else None
    return (id(domain), len(tracker.events), last, omit_unset_slots, ignore_rule_only_turns, rule_only)


def _copy(states: List[State]) -> List[State]:
    return [{name: dict(sub) for name, sub in state.items()} for state in states]


def past_states(self: DialogueStateTracker, domain: Domain, omit_unset_slots: bool = False,
                ignore_rule_only_turns: bool = False,
                rule_only_data: Optional[Dict[Text, Any]] = None) -> List[State]:
    key = _key(self, domain, omit_unset_slots, ignore_rule_only_turns, rule_only_data)
    memo = self.__dict__.get(MEMO)
    if memo is None or memo[0] != key:
        memo = (key, _original_past_states(self, domain, omit_unset_slots=omit_unset_slots,
                                            ignore_rule_only_turns=ignore_rule_only_turns,
                                            rule_only_data=rule_only_data))
        self.__dict__[MEMO] = memo
    return _copy(memo[1])


def install() -> None:
    DialogueStateTracker.past_states = past_states
