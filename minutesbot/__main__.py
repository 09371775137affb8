from minutesbot.cli import main

main()
