#!/usr/bin/env python3
"""Reference values for agglo's Dagum decomposition, Gini source
decomposition and Atkinson index (internal/measure/*_test.go), computed
independently of agglo by direct evaluation of the published formulas:

- Dagum (1997), Empirical Economics 22:515-531: every double sum over pairs
  of units is evaluated literally (O(n^2)), with frequency weights w_i w_r
  for the weighted form;
- Lerman and Yitzhaki (1985): covariances with numpy (bias=True) and
  mid-ranks with scipy.stats.rankdata;
- Atkinson (1970): the closed forms with numpy.

Inputs: ../mexico.csv (32 Mexican states, hanson98 regions),
../spatial/cities.csv (95 agglomeration cities, census populations),
../../china2019/province_2019_long.csv (2019 R&D funds by source).
Output: inequality.json. Run from this directory with Debian's python3
(3.11), numpy 1.24.2 and scipy 1.10.1:

    /usr/bin/python3 gen_inequality.py
"""
import csv
import json

import numpy as np
import scipy
from scipy.stats import rankdata


def dagum(y, w, g):
    y, w, g = np.asarray(y, float), np.asarray(w, float), np.asarray(g)
    W, mu = w.sum(), (w * y).sum() / w.sum()
    absdiff = np.abs(y[:, None] - y[None, :])
    ww = w[:, None] * w[None, :]
    G = (ww * absdiff).sum() / (2 * W**2 * mu)
    labels = sorted(set(g.tolist()))
    idx = {k: np.where(g == k)[0] for k in labels}
    Wj = {k: w[idx[k]].sum() for k in labels}
    mj = {k: (w[idx[k]] * y[idx[k]]).sum() / Wj[k] for k in labels}
    p = {k: Wj[k] / W for k in labels}
    s = {k: Wj[k] * mj[k] / (W * mu) for k in labels}
    groups = []
    Gw = 0.0
    for k in labels:
        a = idx[k]
        Gjj = (ww[np.ix_(a, a)] * absdiff[np.ix_(a, a)]).sum() / (2 * Wj[k]**2 * mj[k])
        Gw += Gjj * p[k] * s[k]
        groups.append({"group": int(k), "gini": Gjj, "p": p[k], "s": s[k], "mean": mj[k]})
    pairs = []
    Gnb = Gt = 0.0
    for a_i, j in enumerate(labels):
        for h in labels[a_i + 1:]:
            a, b = idx[j], idx[h]
            diff = y[a][:, None] - y[b][None, :]
            wab = w[a][:, None] * w[b][None, :]
            Gjh = (wab * np.abs(diff)).sum() / (Wj[j] * Wj[h] * (mj[j] + mj[h]))
            # d: expected positive difference of the richer group over the poorer.
            hi, lo = (diff, -diff) if mj[j] >= mj[h] else (-diff, diff)
            d = (wab * np.maximum(hi, 0)).sum() / (Wj[j] * Wj[h])
            pp = (wab * np.maximum(lo, 0)).sum() / (Wj[j] * Wj[h])
            D = (d - pp) / (d + pp)
            f = p[j] * s[h] + p[h] * s[j]
            Gnb += Gjh * f * D
            Gt += Gjh * f * (1 - D)
            pairs.append({"a": int(j), "b": int(h), "gini": Gjh, "D": D})
    return {"G": G, "Gw": Gw, "Gnb": Gnb, "Gt": Gt, "groups": groups, "pairs": pairs}


def atkinson(y, w, eps):
    y, w = np.asarray(y, float), np.asarray(w, float)
    p = w / w.sum()
    mu = (p * y).sum()
    if eps == 1:
        return 1 - np.exp((p * np.log(y)).sum()) / mu
    return 1 - ((p * y**(1 - eps)).sum())**(1 / (1 - eps)) / mu


def gini_sources(X):
    X = np.asarray(X, float)
    y = X.sum(axis=1)
    n = len(y)
    F = rankdata(y) / n
    mu = y.mean()
    G = 2 * np.cov(y, F, bias=True)[0, 1] / mu
    out = []
    for k in range(X.shape[1]):
        x = X[:, k]
        Fk = rankdata(x) / n
        cF = np.cov(x, F, bias=True)[0, 1]
        cFk = np.cov(x, Fk, bias=True)[0, 1]
        S = x.mean() / mu
        Gk = 2 * cFk / x.mean()
        R = cF / cFk
        share = S * Gk * R / G
        out.append({"S": S, "G": Gk, "R": R, "share": share, "marginal": share - S})
    return {"G": G, "sources": out}


mex = list(csv.DictReader(open("../mexico.csv", encoding="utf-8")))
regime = [int(float(r["hanson98"])) for r in mex]
y1940 = [float(r["pcgdp1940"]) for r in mex]
y2000 = [float(r["pcgdp2000"]) for r in mex]
ones = [1.0] * len(mex)

cities = list(csv.DictReader(open("../spatial/cities.csv", encoding="utf-8")))
ratio = [float(r["pop2020"]) / float(r["pop2010"]) for r in cities]
pop2010 = [float(r["pop2010"]) for r in cities]
agg_codes = sorted(set(r["agglomeration"] for r in cities))
city_group = [agg_codes.index(r["agglomeration"]) + 1 for r in cities]

sources = ["R&D经费内部支出-政府资金", "R&D经费内部支出-企业资金", "R&D经费内部支出-国外资金", "R&D经费内部支出-其他资金"]
prov = {}  # keyed by province name, in file order (the file writes 500000 as 5e+05)
for r in csv.DictReader(open("../../china2019/province_2019_long.csv", encoding="utf-8")):
    if r["indicator_zh"] in sources and r["value"] != "":
        prov.setdefault(r["province_zh"], {})[r["indicator_zh"]] = float(r["value"])
codes = [c for c in prov if len(prov[c]) == len(sources)]
X = [[prov[c][s] for s in sources] for c in codes]

out = {
    "versions": {"numpy": np.__version__, "scipy": scipy.__version__},
    "dagum_mexico_1940_hanson98": dagum(y1940, ones, regime),
    "dagum_mexico_2000_hanson98": dagum(y2000, ones, regime),
    "city_groups_sorted_codes": agg_codes,
    "dagum_cities_popratio_weighted_pop2010": dagum(ratio, pop2010, city_group),
    "atkinson_mexico_1940": {str(e): atkinson(y1940, ones, e) for e in (0.5, 1, 1.5, 2, 3)},
    "atkinson_cities_popratio_weighted": {str(e): atkinson(ratio, pop2010, e) for e in (0.5, 1, 2)},
    "gini_sources_rd_funds_2019": {"provinces": codes, "source_names": sources, **gini_sources(X)},
}
with open("inequality.json", "w") as f:
    json.dump(out, f, indent=1, ensure_ascii=False)
