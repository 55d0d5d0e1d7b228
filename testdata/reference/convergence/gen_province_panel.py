#!/usr/bin/env python3
"""Reference values of statsmodels and numpy for agglo's convergence and
Dagum measures on the province science-and-technology data
(internal/analysis/measures16_test.go, internal/cli/measure16_test.go).

Inputs (this repository's testdata):
  ../../china_panel/province_st_techme_2010_2023.csv  R&D intensity 2011-2023
  ../../china2019/province_2019_long.csv               R&D intensity 2019
  ../../agglomerations/agglomerations.csv              member cities of the
      five agglomerations; an agglomeration's provinces are the provinces of
      its member cities (BTH: Beijing, Tianjin, Hebei; YRD: Shanghai, Jiangsu,
      Zhejiang, Anhui; MYR: Hubei, Hunan, Jiangxi; PRD: Guangdong; CC:
      Chongqing, Sichuan)
Output: province_panel.json. Run from this directory with Debian's python3
(3.11), python3-statsmodels 0.13.5 and numpy 1.24.2:

    /usr/bin/python3 gen_province_panel.py

sigma:  per year 2011-2023, over the 31 provinces (the national row left
        out): sd of ln x with ddof 0, CV with ddof 0, OLS trends on the year
beta:   g = (ln x2023 - ln x2011)/12 on [1, ln x2011], OLS; classic and HC1
        (use_t=True: Student t p-values, as Stata)
clubs:  the same regression within each agglomeration with at least 3
        provinces
dagum:  the Dagum (1997) decomposition of 2019 R&D intensity over the 13
        member provinces grouped by agglomeration, every double sum over pairs
        evaluated literally (O(n^2)), n^2 in G (no small-sample correction)
"""
import csv
import json

import numpy as np
import statsmodels
import statsmodels.api as sm

IND = "R&D经费投入强度"

members = {}
for r in csv.DictReader(open("../../agglomerations/agglomerations.csv", encoding="utf-8")):
    members.setdefault(r["agglomeration_code"], set()).add(r["province_zh"])
prov_group = {p: g for g, ps in members.items() for p in ps}

panel = {}  # adcode -> {year: value}
names = {}
for r in csv.DictReader(open("../../china_panel/province_st_techme_2010_2023.csv", encoding="utf-8")):
    if r["indicator_zh"] != IND or r["adcode"] == "100000" or r["value"] == "":
        continue
    code = str(int(float(r["adcode"])))
    panel.setdefault(code, {})[int(r["year"])] = float(r["value"])
    names[code] = r["region_zh"]
codes = sorted(panel)
years = list(range(2011, 2024))
Y = np.array([[panel[c][y] for y in years] for c in codes])
T = 12.0
g = (np.log(Y[:, -1]) - np.log(Y[:, 0])) / T
X = sm.add_constant(np.log(Y[:, 0]))


def summary(fit):
    return {"params": fit.params.tolist(), "bse": fit.bse.tolist(), "tvalues": fit.tvalues.tolist(),
            "pvalues": fit.pvalues.tolist(), "rsquared": fit.rsquared, "rsquared_adj": fit.rsquared_adj,
            "nobs": int(fit.nobs)}


out = {"versions": {"statsmodels": statsmodels.__version__, "numpy": np.__version__},
       "indicator": IND, "codes": codes, "years": years}
out["beta"] = summary(sm.OLS(g, X).fit())
out["beta_hc1"] = summary(sm.OLS(g, X).fit(cov_type="HC1", use_t=True))
group = np.array([prov_group.get(names[c], "") for c in codes])
out["clubs"] = {}
for k in sorted(set(group) - {""}):
    m = group == k
    if m.sum() >= 3:
        out["clubs"][k] = summary(sm.OLS(g[m], X[m]).fit())
sd = np.log(Y).std(axis=0)
cv = Y.std(axis=0) / Y.mean(axis=0)
yrs = sm.add_constant(np.array(years, dtype=float))
out["sigma"] = {"sd": sd.tolist(), "cv": cv.tolist(),
                "sd_trend": sm.OLS(sd, yrs).fit().params.tolist(),
                "cv_trend": sm.OLS(cv, yrs).fit().params.tolist()}


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
    groups, Gw = [], 0.0
    for k in labels:
        a = idx[k]
        Gjj = (ww[np.ix_(a, a)] * absdiff[np.ix_(a, a)]).sum() / (2 * Wj[k]**2 * mj[k])
        Gw += Gjj * p[k] * s[k]
        groups.append({"group": k, "gini": Gjj, "p": p[k], "s": s[k], "mean": mj[k]})
    pairs, Gnb, Gt = [], 0.0, 0.0
    for ai, j in enumerate(labels):
        for h in labels[ai + 1:]:
            a, b = idx[j], idx[h]
            diff = y[a][:, None] - y[b][None, :]
            wab = w[a][:, None] * w[b][None, :]
            Gjh = (wab * np.abs(diff)).sum() / (Wj[j] * Wj[h] * (mj[j] + mj[h]))
            hi, lo = (diff, -diff) if mj[j] >= mj[h] else (-diff, diff)
            d = (wab * np.maximum(hi, 0)).sum() / (Wj[j] * Wj[h])
            pp = (wab * np.maximum(lo, 0)).sum() / (Wj[j] * Wj[h])
            D = (d - pp) / (d + pp) if d + pp > 0 else 0.0
            f = p[j] * s[h] + p[h] * s[j]
            Gnb += Gjh * f * D
            Gt += Gjh * f * (1 - D)
            pairs.append({"a": j, "b": h, "gini": Gjh, "D": D})
    return {"G": G, "Gw": Gw, "Gnb": Gnb, "Gt": Gt, "groups": groups, "pairs": pairs}


y19, g19 = [], []
for r in csv.DictReader(open("../../china2019/province_2019_long.csv", encoding="utf-8")):
    if r["indicator_zh"] == IND and r["value"] != "":
        # 2019 file names provinces without suffix (北京); match by prefix.
        grp = [v for k, v in prov_group.items() if k.startswith(r["province_zh"])]
        if grp:
            y19.append(float(r["value"]))
            g19.append(grp[0])
out["dagum_rd_intensity_2019_agglomeration"] = {"n": len(y19), **dagum(y19, np.ones(len(y19)), g19)}
with open("province_panel.json", "w") as f:
    json.dump(out, f, indent=1, ensure_ascii=False)
