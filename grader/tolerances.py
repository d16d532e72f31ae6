"""Every tolerance and numerical step the checks use, each with the reason for its number.

One home, so that no check shadows another's value under the same name. Relative errors
are norm-wise (||got - expected|| / max(||got||, ||expected||)) unless a name says
otherwise. Correct float64 implementations written differently agree to about 1e-12 on
the grader's inputs; the classic mistakes differ by 1e-3 or more: thresholds sit between.
"""

from __future__ import annotations

REFERENCE = 1e-6
"""Outputs against the reference: far above the ~1e-12 of equivalent float64 forms."""

UPDATE_RULE = 1e-4
"""Update rules, every check of one alike (one step, trajectories, properties; gradients of
magnitude at least 0.1): epsilon inside or outside a square root, Kingma & Ba's efficient
Adam and in-place updates differ from the reference by at most 6e-6 (relative;
benchmarks/update_rule_forms.py), the classic mistakes by 1e-2 or more."""

RELATIVE_FLOOR = 1e-12
"""Denominator floor of relative errors, so that two all-zero arrays compare equal."""

GRADIENT_STEP = 1e-6
"""Centered differences in float64: truncation (~h²) and round-off (~1e-16/h) leave a
correct gradient at a relative error near 1e-9."""

GRADIENT = 1e-5
"""Analytic against numerical gradients (NumPy layers and whole networks): correct ones are
near 1e-9 (the reference network's worst over 50 seeds is 8e-7), mistakes 1e-2 or more."""

TORCH_GRADIENT = 1e-6
"""torch autograd Functions against float64 directional derivatives (3 random directions):
tighter than GRADIENT because the inputs are small and well scaled."""

TORCH_TRAJECTORY = {"float64": 1e-9, "float32": 1e-4}
"""12 optimizer steps against the reference and torch.optim, per dtype: float32 rounding
accumulates to about 1e-6 over the trajectory."""

TORCH_FORWARD = {"float64": 1e-10, "float32": 1e-5}
"""autograd Function forwards against F.linear / F.batch_norm, per dtype."""

ORTHOGONALITY = 1e-8
"""Largest deviation of WᵀW from gain²·I (scaled by gain²): a QR-based orthogonal matrix
is exact to ~1e-14, a Gaussian one is off by 1e-1."""

CHANCE_LOSS = 1e-3
"""Initial loss of a network with N(0, 1e-3²) weights against ln(classes): the reference
is within 1e-7."""

KINK_MARGIN = 1e-2
"""Generated inputs keep this far from kinks and ties (ReLU at 0, max ties), so that
numerical gradients never straddle one."""

NETWORK_KINK_MARGIN = 1e-3
"""Network parameters are redrawn until no ReLU input is this close to 0 (the step moves
a pre-activation by about 6e-5 on unit-std images)."""

NETWORK_GRADIENT_FLOOR = 1e-3
"""Directional derivatives this small count as zero (a bias before batchnorm has none;
rounding leaves about 1e-9 there)."""

FALSE_FAILURE = 1e-6
"""Statistical checks of initializers: probability that a correct implementation fails a
check (Bonferroni over its tests; grader/checks/distribution.py)."""

SAME_DRAWS = 1e-3
"""Random draws (an initializer's values, singular values, nonzero counts per row and
column) are called alike, for naming a known mistake, unless a two-sample KS test rejects
that at this level (p <= 1e-3). It only names the mistake behind a check that already
failed, and never fails one itself."""

SAME_SCALE = 0.02
"""The relative difference of standard deviations within which an initializer's sample and
a known mistake's count as one scale, for naming the mistake (as SAME_DRAWS, it never fails
a check)."""

SAME_SPECTRUM_SCALE = 0.05
"""The same for the root-mean-square singular value of one orthogonal-initializer draw
against a never-orthogonalized variant's: looser than SAME_SCALE because it rests on one
matrix's 30 to 40 singular values, not on a whole sample."""

UNIFORM_BOUND_ROUNDING = 1e-12
"""Relative slack above a uniform initializer's bound b: b computed another way (sqrt(6 /
(fan_in + fan_out)) or gain * sqrt(3 / fan)) differs from the grader's in the last bits."""

UNIFORM_REACH = 1e-3
"""A uniform sample must come within b * 1e-3 of its bound b: a correct one of 150,000
values misses that with probability (1 - 1e-3)^150000, about 1e-65; a bound drawn more
than 0.1% too narrow (a fan or gain mistake) fails it."""
