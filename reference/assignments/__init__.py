"""The course's assignments: each id names the module of this package that holds its
declarative spec (an `ASSIGNMENT`). The engine reads this registry; it ships none of it."""

ASSIGNMENTS = {
    "layers": "reference.assignments.layers",
    "optimizers": "reference.assignments.optimizers",
    "initializers": "reference.assignments.initializers",
    "cifar": "reference.assignments.cifar",
    "gpu": "reference.assignments.gpu",
}
