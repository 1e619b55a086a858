from xanoctl.cli import main

main()
