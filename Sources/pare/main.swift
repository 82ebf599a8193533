import PareCLI

PareCommand.main()
