#!/usr/bin/env python3
"""Reference values of statsmodels for agglo's convergence methods
(internal/measure/convergence_test.go).

Input: ../mexico.csv (per-capita GDP of the 32 Mexican states 1940-2000,
pysal/libpysal example data). Output: statsmodels.json. Run from this
directory with Debian's python3 (3.11), python3-statsmodels 0.13.5 and
numpy 1.24.2:

    /usr/bin/python3 gen_statsmodels.py

beta:        g = (ln y2000 - ln y1940)/60 on [1, ln y1940], OLS, classic and HC1
             (HC1 with use_t=True: p-values from Student t with n - p df, as
             Stata; statsmodels defaults to the normal for robust errors)
conditional: the same plus dummies for hanson98 regimes 2, 3, 4, 5
clubs:       the absolute regression within each hanson98 regime with at
             least 3 states (regime 4 has 2 and is not estimable)
sigma:       per year sd of ln y (ddof 0) and CV (ddof 0), with OLS trends
             on the year
"""
import csv
import json

import numpy as np
import statsmodels
import statsmodels.api as sm

rows = list(csv.DictReader(open("../mexico.csv", encoding="utf-8")))
years = [1940, 1950, 1960, 1970, 1980, 1990, 2000]
Y = np.array([[float(r[f"pcgdp{y}"]) for y in years] for r in rows])
regime = np.array([int(float(r["hanson98"])) for r in rows])
T = 60.0
g = (np.log(Y[:, -1]) - np.log(Y[:, 0])) / T
X = sm.add_constant(np.log(Y[:, 0]))


def summary(fit):
    return {"params": fit.params.tolist(), "bse": fit.bse.tolist(), "tvalues": fit.tvalues.tolist(),
            "pvalues": fit.pvalues.tolist(), "rsquared": fit.rsquared, "rsquared_adj": fit.rsquared_adj,
            "nobs": int(fit.nobs)}


out = {"versions": {"statsmodels": statsmodels.__version__, "numpy": np.__version__}}
out["beta"] = summary(sm.OLS(g, X).fit())
out["beta_hc1"] = summary(sm.OLS(g, X).fit(cov_type="HC1", use_t=True))
D = np.column_stack([(regime == k).astype(float) for k in (2, 3, 4, 5)])
Xc = np.column_stack([X, D])
out["conditional"] = summary(sm.OLS(g, Xc).fit())
out["conditional_hc1"] = summary(sm.OLS(g, Xc).fit(cov_type="HC1", use_t=True))
out["clubs"] = {}
for k in sorted(set(regime)):
    m = regime == k
    if m.sum() >= 3:
        out["clubs"][str(k)] = summary(sm.OLS(g[m], X[m]).fit())
sd = np.log(Y).std(axis=0)
cv = Y.std(axis=0) / Y.mean(axis=0)
yrs = sm.add_constant(np.array(years, dtype=float))
out["sigma"] = {"sd": sd.tolist(), "cv": cv.tolist(),
                "sd_trend": sm.OLS(sd, yrs).fit().params.tolist(),
                "cv_trend": sm.OLS(cv, yrs).fit().params.tolist()}
with open("statsmodels.json", "w") as f:
    json.dump(out, f, indent=1)
