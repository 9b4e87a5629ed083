"""Operations: initialisation, recovery after a crash, scheduled jobs, backups."""
