"""Allow `python -m wijzer` as an alias of the `wijzer` command."""

from wijzer.cli import main

main()
