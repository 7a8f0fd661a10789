"""诉求 intake agent: command line, configuration and service orchestration."""
