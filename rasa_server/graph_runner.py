"""Running the model's prediction graph in a fixed order, without dask's scheduler per message.

Rasa 3.6 runs the NLU pipeline and the policies through `DaskGraphRunner.run`, which for every
parse and every action prediction rebuilds the minimal schema, builds a dask graph, orders it
(`dask.order`) and schedules it through queues and futures. Our graphs are a chain of a dozen
components; in the load profile of issue 12 the scheduling cost about as much CPU as all Rasa NLU
components together (bench/reports/load_profile.md). Here the order of each set of targets is
worked out once and the nodes are called one after another with the same arguments dask would
pass: a node's needs are the outputs of earlier nodes or of the inputs, and a need nothing
provides is passed as its name (GraphNode warns about it, as under dask).

Training keeps Rasa's DaskGraphRunner: this is installed in the Rasa server only.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text, Tuple

from rasa.engine.exceptions import GraphRunError
from rasa.engine.runner.dask import DaskGraphRunner


def execution_order(runner: DaskGraphRunner, targets: Tuple[Text, ...]) -> List[Tuple[Text, Tuple[Text, ...]]]:
    """(node, names of what it needs) for every node the targets depend on, dependencies first."""
    cache: Dict[Tuple[Text, ...], List[Tuple[Text, Tuple[Text, ...]]]] = runner.__dict__.setdefault(
        "_intake_orders", {})
    if targets in cache:
        return cache[targets]
    nodes = runner._graph_schema.minimal_graph_schema(list(targets)).nodes
    order: List[Tuple[Text, Tuple[Text, ...]]] = []
    state: Dict[Text, str] = {}

    def visit(name: Text) -> None:
        if name not in nodes or state.get(name) == "done":
            return
        if state.get(name) == "visiting":
            raise GraphRunError(f"The graph has a cycle through '{name}'.")
        state[name] = "visiting"
        needs = tuple(nodes[name].needs.values())
        for need in needs:
            visit(need)
        state[name] = "done"
        order.append((name, needs))

    for target in targets:
        visit(target)
    cache[targets] = order
    return order


def run_in_order(self: DaskGraphRunner, inputs: Optional[Dict[Text, Any]] = None,
                 targets: Optional[List[Text]] = None) -> Dict[Text, Any]:
    """DaskGraphRunner.run, the same results, without building and scheduling a dask graph."""
    run_targets = tuple(targets if targets else self._graph_schema.target_names)
    order = execution_order(self, run_targets)
    results: Dict[Text, Any] = {}
    for name, value in (inputs or {}).items():
        if isinstance(value, str) and any(value == node for node, _ in order):
            raise GraphRunError(f"Input value '{value}' clashes with a node name. Make sure that none of the input "
                                f"names passed to the `run` method are the same as node names in the graph schema.")
        results[name] = (name, value)  # an input replaces a node of the same name, as in the dask graph
    try:
        for name, needs in order:
            if name not in results:
                results[name] = self._instantiated_nodes[name](*(results.get(need, need) for need in needs))
    except RuntimeError as error:
        raise GraphRunError("Error running runner.") from error
    return dict(results[target] for target in run_targets)


def install() -> None:
    DaskGraphRunner.run = run_in_order
