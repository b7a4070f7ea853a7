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


@dataclass(frozen=True)
class Step:
    name: str
    order: int
    run: object


class _Registry:
    """Named steps kept in order; registering a name twice (a reloaded app) keeps the first."""

    def __init__(self):
        self.steps = []

    def register(self, name, order):
        def decorator(func):
            if not any(step.name == name for step in self.steps):
                self.steps.append(Step(name=name, order=order, run=func))
                self.steps.sort(key=lambda step: step.order)
            return func

        return decorator

    def all(self):
        return list(self.steps)


_steps = _Registry()
register_step = _steps.register
registered_steps = _steps.all

# Purges: what a withdrawal leaves in database files and search segments once its rows are
# deleted (issue 10). They take longer than a contributor should wait, so they run after the
# withdrawal, in the worker (consent.tasks.purge_withdrawal), in order; each app registers
# its own from ready(). Each takes the tables the withdrawal wrote to, and must be idempotent.
_purges = _Registry()
register_purge = _purges.register
registered_purges = _purges.all
