"""pytest set-up shared by the unit tests and the doctests."""

import importlib.util

collect_ignore = []
if importlib.util.find_spec("torch") is None:
    # the PyTorch adapter's doctests need torch; tests/test_torch_adapter.py says why it skips
    collect_ignore.append("lrlib/torch_adapter.py")
