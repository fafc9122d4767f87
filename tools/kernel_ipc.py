"""pytest plugin: the lesson kernels nbval starts talk over Unix sockets, not TCP ports.

Why: with pytest-xdist, several kernels start at the same time. jupyter_client picks each
kernel's five "free" TCP ports by binding port 0 and closing the socket; before the kernel binds
them, another worker's kernel, or any outgoing connection (these are ephemeral ports too), can take
one. The kernel then exits with "Address already in use" and nbval reports every cell of that
lesson as "Kernel died before replying to kernel_info" (a known race, seen in CI here). Unix
sockets are files whose names this plugin makes unique per kernel, so nothing can collide.

Used by ``tools/dev.py test`` as ``-p tools.kernel_ipc``, only where Unix sockets exist (not on
Windows). Run on its own, ``python tools/kernel_ipc.py`` starts one kernel this way and stops it.
"""

from __future__ import annotations

import os
import tempfile
import uuid

from jupyter_client.manager import KernelManager


class UnixSocketKernelManager(KernelManager):
    """A KernelManager whose kernel listens on Unix sockets in the temporary directory.

    The socket files are ``<tmp>/lrlib-kernel-<12 hex digits>-<1..5>``: short, well under the
    107-byte limit on socket paths, and removed when the kernel shuts down.
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("transport", "ipc")
        kwargs.setdefault("ip", os.path.join(tempfile.gettempdir(), f"lrlib-kernel-{uuid.uuid4().hex[:12]}"))
        super().__init__(**kwargs)


def pytest_configure(config) -> None:
    import nbval.kernel

    nbval.kernel.KernelManager = UnixSocketKernelManager


if __name__ == "__main__":
    manager = UnixSocketKernelManager(kernel_name="python3")
    manager.start_kernel()
    client = manager.client()
    client.start_channels()
    client.wait_for_ready(timeout=60)
    print("kernel ready on", manager.transport, manager.ip)
    client.stop_channels()
    manager.shutdown_kernel(now=True)
