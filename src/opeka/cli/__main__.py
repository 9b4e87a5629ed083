"""``python -m opeka.cli`` runs the ``opeka`` command."""

from opeka.cli.main import main

main()
