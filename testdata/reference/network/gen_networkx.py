#!/usr/bin/env python3
"""Reference values of networkx for agglo's closeness centrality
(internal/network/reference_test.go).

Input: flows_undirected.csv, flows_directed.csv (prepare_flows.py; 95
nodes 0..94, two isolated). Output: networkx.json. Run from this directory
with Debian's python3 (3.11) and python3-networkx 2.8.8:

    /usr/bin/python3 gen_networkx.py

closeness_centrality uses the Wasserman-Faust form for graphs that are not
connected, C(u) = (r-1)/(n-1) * (r-1)/sum(d(u, v)), r the number of nodes
reachable from u (itself included). Weighted distances use the length
1/value. networkx measures closeness on incoming distances in a directed
graph; agglo uses outgoing ones, so the directed graph is reversed here.
"""
import csv
import json

import networkx as nx

N = 95


def build(file, directed):
    g = nx.DiGraph() if directed else nx.Graph()
    g.add_nodes_from(range(N))
    for r in csv.DictReader(open(file)):
        v = float(r["value"])
        g.add_edge(int(r["from"]), int(r["to"]), weight=v, length=1 / v)
    return g


out = {"versions": {"networkx": nx.__version__}}
for name, directed in (("undirected", False), ("directed", True)):
    g = build(f"flows_{name}.csv", directed)
    h = g.reverse() if directed else g
    out[name] = {
        "closeness": [nx.closeness_centrality(h)[i] for i in range(N)],
        "closeness_weighted": [nx.closeness_centrality(h, distance="length")[i] for i in range(N)],
        "betweenness": [nx.betweenness_centrality(g, normalized=False)[i] for i in range(N)],
        "betweenness_weighted": [nx.betweenness_centrality(g, normalized=False, weight="length")[i] for i in range(N)],
    }
with open("networkx.json", "w") as f:
    json.dump(out, f)
