from missionboard.cli import main

main()
