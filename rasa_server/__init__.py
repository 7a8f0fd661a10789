"""The Rasa server's pieces that are ours: its entry point, the tracker store, and two measured
adjustments to Rasa's action-server calls (answer validation, kept-alive connections), each in
its own file."""
