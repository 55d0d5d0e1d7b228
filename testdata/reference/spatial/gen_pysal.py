#!/usr/bin/env python3
"""Reference values from libpysal (weights) and from esda's formulas for
agglo's spatial statistics (internal/spatial/reference_test.go).

esda is not packaged in Debian, so its formulas for the local Moran
statistic (Moran_Local: (n-1) scaling, quadrants) and for G_Local
(transform "R" and "B", star True/False) are re-implemented here in numpy,
from pysal/esda moran.py and getisord.py. The script first checks the
G_Local re-implementation against the values printed in esda's own
G_Local docstring (six points, DistanceBand threshold 15) and stops if they
differ.

Input: cities.csv (prepare_cities.py). Output: pysal.json. Run from this
directory with Debian's python3 (3.11), python3-libpysal 4.7.0, numpy 1.24.2:

    /usr/bin/python3 gen_pysal.py
"""
import csv
import json
import warnings

warnings.filterwarnings("ignore")
import numpy as np  # noqa: E402
import libpysal  # noqa: E402
from libpysal.weights import KNN, DistanceBand  # noqa: E402

R = 6371.0088


def dense(w, transform):
    w.transform = transform
    m, _ = w.full()
    return m


def lisa_esda(y, W):
    """esda Moran_Local: Is = (n-1) z (Wz) / sum(z^2), z standardised."""
    n = len(y)
    z = (y - y.mean()) / y.std()
    lag = W @ z
    Is = (n - 1) * z * lag / (z * z).sum()
    q = np.where(z > 0, np.where(lag > 0, 1, 4), np.where(lag > 0, 2, 3))
    return Is, q


def g_local_esda(y, Wb, transform, star):
    """esda G_Local.calc for transform 'B' or 'R' from the binary matrix Wb."""
    n = len(y)
    card = Wb.sum(axis=1)
    y_sum = y.sum()
    if not star:
        W = Wb if transform == "B" else Wb / np.where(card > 0, card, 1)[:, None]
        yl = W @ y
        ydi = y_sum - y
        G = yl / ydi
        N = n - 1
        yl_mean = ydi / N
        s2 = ((y * y).sum() - y * y) / N - yl_mean**2
    else:
        yl = Wb @ y + y
        if transform == "R":
            yl = yl / (card + 1.0)
        G = yl / y_sum
        N = n
        yl_mean = y.mean()
        s2 = y.var()
    if transform == "B":
        Wc = card + (1 if star else 0)
        E = Wc / N
        V = (Wc * (N - Wc) / (N - 1)) / N**2 * s2 / yl_mean**2
    else:
        E = np.full(n, 1.0 / N)
        V = 1.0 / N**2 * s2 / yl_mean**2
    return G, (G - E) / np.sqrt(V)


# Check against esda's G_Local docstring (pysal/esda getisord.py).
pts6 = [(10, 10), (20, 10), (40, 10), (15, 20), (30, 20), (30, 30)]
y6 = np.array([2, 3, 3.2, 5, 8, 7])
Wb6 = dense(DistanceBand(pts6, threshold=15), "B")
doc = {
    ("B", False): [-1.0136729, -0.04361589, 1.31558703, -0.31412676, 1.15373986, 1.77833941],
    ("B", True): [-1.39727626, -0.28917762, 0.65064964, -0.28917762, 1.23452088, 2.02424331],
    ("R", False): [-0.62074534, -0.01780611, 1.31558703, -0.12824171, 0.28843496, 1.77833941],
    ("R", True): [-0.62488094, -0.09144599, 0.41150696, -0.09144599, 0.24690418, 1.28024388],
}
for (t, s), want in doc.items():
    _, z = g_local_esda(y6, Wb6, t, s)
    assert np.allclose(z, want, atol=5e-8), (t, s, z)

rows = list(csv.DictReader(open("cities.csv", encoding="utf-8")))
pts = np.array([[float(r["lon"]), float(r["lat"])] for r in rows])
growth = np.array([np.log(float(r["pop2020"]) / float(r["pop2010"])) for r in rows])
pop = np.array([float(r["pop2020"]) / 1e4 for r in rows])

knn6 = KNN.from_array(pts, k=6, distance_metric="arc", radius=R)
d300 = DistanceBand.from_array(pts, threshold=300, binary=True, distance_metric="arc", radius=R)
d150 = DistanceBand.from_array(pts, threshold=150, binary=True, distance_metric="arc", radius=R)
idw1 = DistanceBand.from_array(pts, threshold=20000, binary=False, alpha=-1.0,
                               distance_metric="arc", radius=R)


def nbrs(w):
    return [sorted(int(j) for j in w.neighbors[i]) for i in range(w.n)]


idw_raw = dense(idw1, "O")
B_knn6, B_d300, B_d150 = dense(knn6, "B"), dense(d300, "B"), dense(d150, "B")
out = {
    "versions": {"libpysal": libpysal.__version__, "numpy": np.__version__},
    "neighbors": {"knn6": nbrs(knn6), "d300": nbrs(d300), "d150": nbrs(d150)},
    "islands_d150": [int(i) for i in d150.islands],
    "idw1_raw_rows_0_2": idw_raw[:3].tolist(),
    "idw1_row_rows_0_2": dense(idw1, "R")[:3].tolist(),
}
Is, q = lisa_esda(growth, dense(knn6, "R"))
out["lisa_growth_knn6_row"] = {"I": Is.tolist(), "q": q.tolist()}
Is, q = lisa_esda(growth, B_d150)
out["lisa_growth_d150_binary"] = {"I": Is.tolist(), "q": q.tolist()}
for name, B in (("knn6", B_knn6), ("d300", B_d300)):
    for t in ("R", "B"):
        for s in (False, True):
            G, z = g_local_esda(pop, B, t, s)
            key = f"glocal_pop_{name}_{'row' if t == 'R' else 'binary'}{'_star' if s else ''}"
            out[key] = {"G": G.tolist(), "z": z.tolist()}
with open("pysal.json", "w") as f:
    json.dump(out, f)
