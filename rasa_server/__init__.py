"""The Rasa server's pieces that are ours: its entry point, the tracker and lock stores, and
measured adjustments to Rasa 3.6's turn path (action-server answers validated, kept-alive
connections, JSON encoding, slot copies, dialogue states computed once per prediction, the graph
run in order, models followed, the loaded model frozen for the garbage collector), each in its
own file."""
