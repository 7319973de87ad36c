"""The cold-start benchmark: splits, metrics, baselines, peer libraries and the runner.

It is kept apart from the engine (``recsys``) and uses only its public interface, so the
measurement can never lean on engine internals.
"""
