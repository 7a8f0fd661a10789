"""Chinese text understanding shared by the Rasa pipeline and the app server."""
