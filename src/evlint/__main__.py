from evlint.cli import run

run()
