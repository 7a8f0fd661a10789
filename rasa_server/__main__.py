"""`python -m rasa_server run …`: Rasa's own command line, with our adjustments installed first.

`intake run` and the tests start the Rasa server this way. Sanic forks its workers from this
process, so every worker has them.
"""
from rasa_server import (action_client, action_results, graph_runner, heap_freeze, model_follow, session_settings,
                         slot_copy, state_memo, worker_sockets)

action_results.install()
action_client.install()
graph_runner.install()
model_follow.install()
heap_freeze.install()  # after model_follow: freezes what it loaded
session_settings.install()
slot_copy.install()
state_memo.install()
worker_sockets.install()

if __name__ == "__main__":
    from rasa.__main__ import main

    main()
