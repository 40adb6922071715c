"""Put first on ``PYTHONPATH`` of ``dealgraph serve --workers N``: each worker process (started
by uvicorn's supervisor with multiprocessing's spawn) takes ``SLOW_WORKER_START_SECONDS`` longer
to start, as on a loaded machine; the supervisor itself is not slowed."""

import os
import sys
import time

if "--multiprocessing-fork" in sys.argv:
    time.sleep(float(os.environ.get("SLOW_WORKER_START_SECONDS", "0")))
