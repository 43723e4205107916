"""Write the worked example's data: a 1+4 qubit branching state measured in all 243 settings.

GHZ-like branching state (system qubit 0, environment qubits 1-4), records of angle
theta = 1.4 (nearly perfect), 2 % local depolarizing noise, 2000 shots per setting. Run from
the repository root::

    python examples/tomography/make_counts.py
    qdarwin tomography examples/tomography/counts.json --bootstrap 200 --delta 0.2 --plot examples/tomography/report.png

See docs/tomography.md.
"""

from pathlib import Path

import numpy as np

from qdarwin.io.pauli_counts import write_pauli_counts
from qdarwin.tomography import all_settings, branching_state, synthetic_counts

HERE = Path(__file__).resolve().parent

psi = branching_state(4, p0=0.5, theta=1.4)
data = synthetic_counts(psi, all_settings(5), 2000, rng=np.random.default_rng(7), depolarizing=0.02)
write_pauli_counts(HERE / "counts.json", data,
                   description="synthetic 1+4 qubit branching state, theta=1.4, depolarizing 0.02, 2000 shots/setting")
print(f"wrote {HERE / 'counts.json'}: {len(data.settings)} settings, {int(data.shots.sum())} shots")
