from minutesbot.cli import run

run()
