"""Published expected values of the classic CS231n optimizer checks.

Source: Stanford CS231n, assignment 2, notebook ``FullyConnectedNets.ipynb`` (2017-2021
editions), cells "SGD+Momentum" and "RMSProp and Adam" ("You should see relative errors
around e-7 or less"). The same arrays appear verbatim in many public copies of that
notebook and of its exported scripts. They are printed to 8 decimals, so a correct
implementation matches them to an absolute error of at most 5e-9 (rounding its result to
8 decimals gives exactly these arrays). The notebook's relative error
max(|x - y| / max(1e-8, |x| + |y|)) is then below 1e-8 for sgd_momentum but reaches about
1e-7 for rmsprop and adam, whose next_w has entries near 0 (e.g. -0.02881884); the
notebook itself says "around e-7 or less" there.

Our update rules use the same conventions as those checks (velocity v = momentum * v -
lr * dw, cache with (1 - decay_rate), Adam with t incremented before the bias
correction and raw m, v stored), so the reference must reproduce every array.

``CS231N_CASES``: name -> dict(function, w, dw, config, expected_next_w,
expected_<state>...), where ``config`` holds the hyperparameters and the supplied state
(pass a deep copy to the update rule) and ``expected_<state>`` is the expected value of
``config[<state>]`` after the step.
"""

import numpy as np

N, D = 4, 5
W = np.linspace(-0.4, 0.6, num=N * D).reshape(N, D)
DW = np.linspace(-0.6, 0.4, num=N * D).reshape(N, D)

CS231N_CASES = {
    "sgd_momentum": {
        "function": "sgd_momentum",
        "w": W,
        "dw": DW,
        "config": {
            "learning_rate": 1e-3,
            "velocity": np.linspace(0.6, 0.9, num=N * D).reshape(N, D),
        },
        "expected_next_w": np.asarray(
            [
                [0.1406, 0.20738947, 0.27417895, 0.34096842, 0.40775789],
                [0.47454737, 0.54133684, 0.60812632, 0.67491579, 0.74170526],
                [0.80849474, 0.87528421, 0.94207368, 1.00886316, 1.07565263],
                [1.14244211, 1.20923158, 1.27602105, 1.34281053, 1.4096],
            ]
        ),
        "expected_velocity": np.asarray(
            [
                [0.5406, 0.55475789, 0.56891579, 0.58307368, 0.59723158],
                [0.61138947, 0.62554737, 0.63970526, 0.65386316, 0.66802105],
                [0.68217895, 0.69633684, 0.71049474, 0.72465263, 0.73881053],
                [0.75296842, 0.76712632, 0.78128421, 0.79544211, 0.8096],
            ]
        ),
    },
    "rmsprop": {
        "function": "rmsprop",
        "w": W,
        "dw": DW,
        "config": {
            "learning_rate": 1e-2,
            "cache": np.linspace(0.6, 0.9, num=N * D).reshape(N, D),
        },
        "expected_next_w": np.asarray(
            [
                [-0.39223849, -0.34037513, -0.28849239, -0.23659121, -0.18467247],
                [-0.132737, -0.08078555, -0.02881884, 0.02316247, 0.07515774],
                [0.12716641, 0.17918792, 0.23122175, 0.28326742, 0.33532447],
                [0.38739248, 0.43947102, 0.49155973, 0.54365823, 0.59576619],
            ]
        ),
        "expected_cache": np.asarray(
            [
                [0.5976, 0.6126277, 0.6277108, 0.64284931, 0.65804321],
                [0.67329252, 0.68859723, 0.70395734, 0.71937285, 0.73484377],
                [0.75037008, 0.7659518, 0.78158892, 0.79728144, 0.81302936],
                [0.82883269, 0.84469141, 0.86060554, 0.87657507, 0.8926],
            ]
        ),
    },
    "adam": {
        "function": "adam",
        "w": W,
        "dw": DW,
        "config": {
            "learning_rate": 1e-2,
            "m": np.linspace(0.6, 0.9, num=N * D).reshape(N, D),
            "v": np.linspace(0.7, 0.5, num=N * D).reshape(N, D),
            "t": 5,
        },
        "expected_next_w": np.asarray(
            [
                [-0.40094747, -0.34836187, -0.29577703, -0.24319299, -0.19060977],
                [-0.1380274, -0.08544591, -0.03286534, 0.01971428, 0.0722929],
                [0.1248705, 0.17744702, 0.23002243, 0.28259667, 0.33516969],
                [0.38774145, 0.44031188, 0.49288093, 0.54544852, 0.59801459],
            ]
        ),
        "expected_v": np.asarray(
            [
                [0.69966, 0.68908382, 0.67851319, 0.66794809, 0.65738853],
                [0.64683452, 0.63628604, 0.6257431, 0.61520571, 0.60467385],
                [0.59414753, 0.58362676, 0.57311152, 0.56260183, 0.55209767],
                [0.54159906, 0.53110598, 0.52061845, 0.51013645, 0.49966],
            ]
        ),
        "expected_m": np.asarray(
            [
                [0.48, 0.49947368, 0.51894737, 0.53842105, 0.55789474],
                [0.57736842, 0.59684211, 0.61631579, 0.63578947, 0.65526316],
                [0.67473684, 0.69421053, 0.71368421, 0.73315789, 0.75263158],
                [0.77210526, 0.79157895, 0.81105263, 0.83052632, 0.85],
            ]
        ),
    },
}
