"""Application logs: operational events only, never personal data.

Messages name subjects by pseudonymous id and count things; values, e-mails, phones and free
text from outside are never logged (a test scans the log files for them). Logs go to
``<data dir>/logs/opeka.log``, rotated at 10 MB, five files kept.
"""

from __future__ import annotations

import logging
import logging.handlers

from opeka.settings import Settings

LOGGER = "opeka"
FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"


def configure(settings: Settings) -> logging.Logger:
    """Attach the rotating file handler to the ``opeka`` logger (once per process)."""
    logger = logging.getLogger(LOGGER)
    target = (settings.log_dir / "opeka.log").resolve()
    for handler in logger.handlers:
        if getattr(handler, "baseFilename", None) == str(target):
            return logger
    settings.log_dir.mkdir(parents=True, exist_ok=True)
    settings.log_dir.chmod(0o700)
    handler = logging.handlers.RotatingFileHandler(
        target, maxBytes=10 * 1024 * 1024, backupCount=5, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter(FORMAT))
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    return logger


def get(name: str) -> logging.Logger:
    """A child logger of ``opeka``."""
    return logging.getLogger(f"{LOGGER}.{name}")
