"""Withdrawal reaches every copy: one service that runs registered steps in order.

Each app registers the steps that make it forget a story, from its AppConfig.ready():

    from consent.withdrawal import register_step

    @register_step("remove passages from the search index", order=20)
    def forget_passages(story, scope):
        ...

`scope` says what is withdrawn (the whole story, some uses, one recording). Steps
must be idempotent: a withdrawal that is interrupted is run again from the start.
"""

from dataclasses import dataclass

_steps = []


@dataclass(frozen=True)
class Step:
    name: str
    order: int
    run: object


def register_step(name, order):
    def decorator(func):
        if not any(step.name == name for step in _steps):
            _steps.append(Step(name=name, order=order, run=func))
            _steps.sort(key=lambda step: step.order)
        return func

    return decorator


def registered_steps():
    return list(_steps)


# Purges: what a withdrawal leaves in database files and search segments once its rows are
# deleted (issue 10). They take longer than a contributor should wait, so they run after the
# withdrawal, in the worker (consent.tasks.purge_withdrawal), in order; each app registers
# its own from ready(). Each takes the tables the withdrawal wrote to, and must be idempotent.
_purges = []


def register_purge(name, order):
    def decorator(func):
        if not any(purge.name == name for purge in _purges):
            _purges.append(Step(name=name, order=order, run=func))
            _purges.sort(key=lambda purge: purge.order)
        return func

    return decorator


def registered_purges():
    return list(_purges)
