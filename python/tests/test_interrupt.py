"""Long calls release the GIL and stop on Ctrl-C within a second."""

import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

LONG_CALLS = {
    "estimate": "rlct.estimate('x^2*y^2*z^2 + w^6', runs=10000, live=2000, threads=1)",
    "exact": "rlct.exact('(x^2-y^3)^2 + (y^2-z^3)^2 + (z^2 - w^5)^2 + (x*y*z*w - v^7)^2', time_limit=600)",
}


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
@pytest.mark.parametrize("call", sorted(LONG_CALLS))
def test_ctrl_c_raises_keyboard_interrupt_quickly(call):
    code = textwrap.dedent(f"""
        import sys, threading, time, rlct
        ticks = []
        t = threading.Thread(target=lambda: [ticks.append(time.sleep(0.05)) for _ in range(10)])
        t.start()
        print("start", flush=True)
        try:
            {LONG_CALLS[call]}
            print("finished", flush=True)
        except KeyboardInterrupt:
            t.join()
            # the GIL was free while the call ran: the other thread ticked
            print("interrupted", len(ticks), flush=True)
    """)
    p = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True)
    assert p.stdout.readline().strip() == "start"
    time.sleep(0.5)
    assert p.poll() is None, "the call ended before the signal: make it longer"
    sent = time.monotonic()
    p.send_signal(signal.SIGINT)
    out, err = p.communicate(timeout=30)
    elapsed = time.monotonic() - sent
    assert "interrupted 10" in out, (out, err)
    assert elapsed < 1.0 + 0.5, elapsed  # within a second (+ interpreter exit)
