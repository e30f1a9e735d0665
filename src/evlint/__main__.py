from evlint.cli import main

main()
