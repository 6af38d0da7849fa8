from octavo.cli.app import main

main()
